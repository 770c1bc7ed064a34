import * as tf from '@tensorflow/tfjs';
import { jsKernelConfigs } from './js-kernel.js';
import { simdKernelConfig } from './simd-kernels.js';

/** Custom kernel: one Adam step for one variable, [param, m, v] -> [param', m', v'] in a single pass. */
export const ADAM_UPDATE = 'AblateAdamUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t for this step (bias correction). */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

/**
 * The arithmetic of tf.train.adam, fused: TF.js runs ~14 tensor ops per variable (each a full pass over the
 * parameters; ~1.2 M of them in the course's CIFAR net), this is one loop.
 */
export function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: [Float32Array, Float32Array, Float32Array], a: AdamUpdateAttrs): void {
  const [pOut, mOut, vOut] = out;
  const [b1, b2] = [a.beta1, a.beta2];
  const [c1, c2] = [1 - b1, 1 - b2];
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] as number;
    const mi = b1 * (m[i] as number) + c1 * gi;
    const vi = b2 * (v[i] as number) + c2 * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = (p[i] as number) - (a.learningRate * (mi / a.oneMinusAccBeta1)) / (Math.sqrt(vi / a.oneMinusAccBeta2) + a.epsilon);
  }
}

const [jsWasmAdamUpdate, cpuAdamUpdate] = jsKernelConfigs(
  ADAM_UPDATE,
  ['param', 'grad', 'm', 'v'],
  ([param]) => [param ?? [], param ?? [], param ?? []],
  ([p, g, m, v], [pOut, mOut, vOut], attrs) => {
    if (!p || !g || !m || !v || !pOut || !mOut || !vOut) throw new Error(`${ADAM_UPDATE}: missing tensor`);
    adamUpdate(p, g, m, v, [pOut, mOut, vOut], attrs as unknown as AdamUpdateAttrs);
  },
);

/** On wasm: the f32x4 loop (assembly/elementwise.ts), float32 arithmetic like tf.train.adam's own kernels. */
const wasmAdamUpdate = simdKernelConfig(jsWasmAdamUpdate, (simd, heap, { inputs, attrs }) => {
  const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', tf.TensorInfo>;
  const a = attrs as unknown as AdamUpdateAttrs;
  const outs = [heap.makeOutput(param.shape), heap.makeOutput(param.shape), heap.makeOutput(param.shape)];
  const [pOut, mOut, vOut] = outs.map((o) => heap.offset(o)) as [number, number, number];
  simd.adamUpdate(
    heap.offset(param), heap.offset(grad), heap.offset(m), heap.offset(v), pOut, mOut, vOut, tf.util.sizeFromShape(param.shape),
    a.learningRate, a.beta1, a.beta2, a.epsilon, a.oneMinusAccBeta1, a.oneMinusAccBeta2,
  );
  return outs;
});

export const adamUpdateKernels: tf.KernelConfig[] = [wasmAdamUpdate, cpuAdamUpdate];
