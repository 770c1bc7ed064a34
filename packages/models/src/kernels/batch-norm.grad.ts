import * as tf from '@tensorflow/tfjs';

/**
 * Gradient of `FusedBatchNorm` with broadcasting instead of TF.js's `tile` of the per-channel factor to the
 * full activation shape (that tile alone took ~650 ms of a 64-image CIFAR step on wasm). Per-channel factors
 * are folded before touching full-size tensors, and the two reductions (Σdy, Σdy·(x-μ)) are shared by the
 * mean, variance, scale and offset gradients. Same maths as upstream, fewer full-size passes.
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const upstream = dy as tf.Tensor;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const rstd = tf.rsqrt(tf.add(variance, varianceEpsilon));
    const gain = scale ? tf.mul(rstd, scale) : rstd;
    const reduce = (t: tf.Tensor, shape: number[]): tf.Tensor => tf.reshape(axes.length ? tf.sum(t, axes) : t, shape);
    // Computed here, not inside the thunks: the engine runs each thunk in its own tidy, so a value shared
    // between thunks must live in the enclosing backward scope.
    const sumDy = reduce(upstream, mean.shape);
    const sumDyCentered = reduce(tf.mul(upstream, tf.sub(x, mean)), mean.shape);
    return {
      x: () => tf.mul(upstream, gain),
      mean: () => tf.reshape(tf.mul(tf.neg(gain), sumDy), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.pow(rstd, 3), scale ?? 1), tf.mul(sumDyCentered, -0.5)), mean.shape),
      scale: () => tf.reshape(tf.mul(rstd, sumDyCentered), scale?.shape ?? mean.shape),
      offset: () => tf.reshape(sumDy, mean.shape),
    };
  },
};
