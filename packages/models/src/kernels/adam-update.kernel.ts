import * as tf from '@tensorflow/tfjs';
import { simdKernelsFor } from './simd-kernels.js';
import { WasmHeap } from './wasm-heap.js';

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

interface AdamInputs {
  param: tf.TensorInfo;
  grad: tf.TensorInfo;
  m: tf.TensorInfo;
  v: tf.TensorInfo;
}

export const wasmAdamUpdateKernel: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { param, grad, m, v } = inputs as unknown as AdamInputs;
    const heap = new WasmHeap(backend);
    const outs = [heap.makeOutput(param.shape), heap.makeOutput(param.shape), heap.makeOutput(param.shape)] as const;
    const a = attrs as unknown as AdamUpdateAttrs;
    const simd = simdKernelsFor(backend);
    if (simd) {
      // f32x4 loop (assembly/elementwise.ts): float32 arithmetic like tf.train.adam's own kernels.
      const [pOut, mOut, vOut] = outs.map((o) => heap.offset(o));
      simd.adamUpdate(
        heap.offset(param), heap.offset(grad), heap.offset(m), heap.offset(v), pOut!, mOut!, vOut!, tf.util.sizeFromShape(param.shape),
        a.learningRate, a.beta1, a.beta2, a.epsilon, a.oneMinusAccBeta1, a.oneMinusAccBeta2,
      );
      return [...outs];
    }
    const views = outs.map((o) => heap.view(o)) as [Float32Array, Float32Array, Float32Array];
    adamUpdate(heap.view(param), heap.view(grad), heap.view(m), heap.view(v), views, a);
    return [...outs];
  },
};

/** The parts of the cpu backend a JS kernel uses (public at runtime, declared loosely in its .d.ts). */
interface CpuBackendInternals {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

export const cpuAdamUpdateKernel: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'cpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { param, grad, m, v } = inputs as unknown as AdamInputs;
    const cpu = backend as unknown as CpuBackendInternals;
    const n = param.shape.reduce((p, d) => p * d, 1);
    const out: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    const read = (t: tf.TensorInfo): Float32Array => cpu.data.get(t.dataId).values;
    adamUpdate(read(param), read(grad), read(m), read(v), out, attrs as unknown as AdamUpdateAttrs);
    return out.map((values) => cpu.makeTensorInfo(param.shape, 'float32', values));
  },
};
