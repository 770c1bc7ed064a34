import * as tf from '@tensorflow/tfjs';
import { backendRunner } from './kernel-runner.js';

/**
 * `Sum` / `Mean` for wasm over *leading* axes (NHWC's batch and spatial axes: every bias gradient and every
 * batch-norm statistic) as a vector-matrix product, ones[1,R] · x[R,C]. The stock kernels first transpose the
 * reduced axes innermost, a full copy of the tensor; the product reads it once. Other reductions (and
 * non-float32 input) go to the replaced kernel.
 */
export function leadingAxesReduceKernel(original: tf.KernelConfig): tf.KernelConfig {
  const { kernelName, backendName } = original;
  return {
    kernelName,
    backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
      if (!leading || x.dtype !== 'float32') return original.kernelFunc(args);
      const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
      const cols = x.shape.slice(axes.length).reduce((p, d) => p * d, 1);
      const runner = backendRunner(args.backend as tf.KernelBackend, backendName);
      const weights = runner.run('Fill', {}, { shape: [1, rows], value: kernelName === 'Mean' ? 1 / rows : 1, dtype: 'float32' });
      const matrix = runner.run('Reshape', { x }, { shape: [rows, cols] });
      const out = runner.run('BatchMatMul', { a: weights, b: matrix }, { transposeA: false, transposeB: false });
      runner.dispose(weights);
      runner.dispose(matrix);
      const kept = x.shape.map((d, i) => (i < axes.length ? 1 : d));
      out.shape = keepDims ? kept : x.shape.slice(axes.length);
      return out;
    },
  };
}
