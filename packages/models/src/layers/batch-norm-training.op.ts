import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../kernels/batch-norm-training.kernel.js';

export interface BatchNormTrainingResult {
  /** gamma * (x - mean) / sqrt(variance + epsilon) + beta, with batch statistics over all axes but the last. */
  y: tf.Tensor;
  /** Batch mean and (biased) variance per channel, for the moving averages; not differentiated through. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch norm over the last axis as one op with the closed-form gradient
 *   dx = gamma·rstd · (dy - mean(dy) - x̂ · mean(dy·x̂)),  dgamma = Σ dy·x̂,  dbeta = Σ dy.
 * tfjs-layers builds the same thing from tf.moments + tf.batchNorm, whose backward pass walks ~20 full-size
 * tensors per layer (Mean, Sub, Square and FusedBatchNorm gradients, plus their accumulation). On wasm and cpu
 * this runs as two JS kernels (two passes forward, two backward); elsewhere as ~8 TF.js ops.
 * `useKernels: false` forces the op version (tests compare both).
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, opts: { useKernels?: boolean } = {}): BatchNormTrainingResult {
  const useKernels = (opts.useKernels ?? true) && x.dtype === 'float32' && !!tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend());
  return useKernels ? viaKernels(x, gamma, beta, epsilon) : viaOps(x, gamma, beta, epsilon);
}

/** wasm and cpu: the two JS kernels of batch-norm-training.kernel.ts. */
function viaKernels(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const op = tf.customGrad((input, g, b, save) => {
    const [y, mean, variance] = tf.engine().runKernel<tf.Tensor[]>(BATCH_NORM_TRAINING, { x: input as tf.Tensor, gamma: g as tf.Tensor, beta: b as tf.Tensor }, { epsilon });
    stats = { mean: tf.keep(mean as tf.Tensor1D), variance: tf.keep(variance as tf.Tensor1D) };
    (save as tf.GradSaveFunc)([input as tf.Tensor, mean as tf.Tensor, variance as tf.Tensor, g as tf.Tensor]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sMean, sVariance, sGamma] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.engine().runKernel<tf.Tensor[]>(BATCH_NORM_TRAINING_GRAD, { dy, x: sx, mean: sMean, variance: sVariance, gamma: sGamma }, { epsilon });
    };
    return { value: y as tf.Tensor, gradFunc };
  });
  const y = op(x, gamma, beta);
  if (!stats) throw new Error('batchNormTraining: statistics were not computed');
  return { y, ...stats };
}

/** Any other backend (native tensorflow, webgl): the same maths as TF.js ops. */
function viaOps(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const count = x.size / (x.shape[x.rank - 1] ?? 1);
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const op = tf.customGrad((input, g, b, save) => {
    const xs = input as tf.Tensor;
    const { mean, variance } = tf.moments(xs, axes);
    stats = { mean: tf.keep(mean as tf.Tensor1D), variance: tf.keep(variance as tf.Tensor1D) };
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    (save as tf.GradSaveFunc)([xs, mean, rstd, g as tf.Tensor]);
    const value = tf.batchNorm(xs, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, epsilon);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sMean, sRstd, sGamma] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const xHat = tf.mul(tf.sub(sx, sMean), sRstd);
      const dBeta = tf.sum(dy, axes);
      const dGamma = tf.sum(tf.mul(dy, xHat), axes);
      const gain = tf.mul(sGamma, sRstd);
      const centred = tf.add(tf.mul(xHat, tf.mul(gain, tf.div(dGamma, count))), tf.mul(gain, tf.div(dBeta, count)));
      const dx = tf.sub(tf.mul(dy, gain), centred);
      return [dx, dGamma, dBeta];
    };
    return { value, gradFunc };
  });
  const y = op(x, gamma, beta);
  if (!stats) throw new Error('batchNormTraining: statistics were not computed');
  return { y, ...stats };
}
