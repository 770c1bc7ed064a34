import * as tf from '@tensorflow/tfjs';
import { jsKernelConfigs } from './js-kernel.js';
import { simdKernelConfig } from './simd-kernels.js';

/** Custom kernel: {dy, x} -> dy where x > 0, else 0, in one pass. */
export const RELU_GRAD = 'AblateReluGrad';

const [jsWasmReluGrad, cpuReluGrad] = jsKernelConfigs(RELU_GRAD, ['dy', 'x'], ([dy]) => [dy ?? []], ([dy, x], [dx]) => {
  if (!dy || !x || !dx) throw new Error(`${RELU_GRAD}: missing tensor`);
  for (let i = 0; i < dx.length; i++) dx[i] = (x[i] as number) > 0 ? (dy[i] as number) : 0;
});

/** On wasm: the branch-free SIMD loop (assembly/elementwise.ts), ~4x the JS loop; the JS loop where it cannot run. */
const wasmReluGrad = simdKernelConfig(jsWasmReluGrad, (simd, heap, { inputs }) => {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const out = heap.makeOutput(dy.shape);
  simd.reluGrad(heap.offset(dy), heap.offset(x), heap.offset(out), tf.util.sizeFromShape(dy.shape));
  return [out];
});

export const reluGradKernels: tf.KernelConfig[] = [wasmReluGrad, cpuReluGrad];

/**
 * Gradient of `Relu`: one pass on backends with {@link RELU_GRAD} (wasm, cpu), TF.js's mul(dy, cast(step(x)))
 * (three passes) elsewhere. Every conv and dense layer of the course's nets runs it once per step.
 */
export const reluGradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    const upstream = dy as tf.Tensor;
    if (x.dtype === 'float32' && upstream.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend())) {
      // JS kernels return an output list, so runKernel hands back a one-element array.
      return { x: () => tf.engine().runKernel<tf.Tensor[]>(RELU_GRAD, { dy: upstream, x }, {})[0] as tf.Tensor };
    }
    return { x: () => tf.mul(upstream, tf.cast(tf.step(x), 'float32')) };
  },
};
