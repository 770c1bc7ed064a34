import * as tf from '@tensorflow/tfjs';

export type Standardization = 'none' | 'range' | 'zscore';

/**
 * Scales every split the same way: `range` divides by 255; `zscore` subtracts the per-channel
 * mean and divides by the per-channel standard deviation of the training images only (never
 * validation or test, which would leak them into training).
 */
export function standardizeSplits<T extends Record<string, tf.Tensor4D>>(mode: Standardization, train: tf.Tensor4D, splits: T): T {
  return tf.tidy(() => {
    let apply: (x: tf.Tensor4D) => tf.Tensor4D;
    switch (mode) {
      case 'none':
        apply = (x) => x.clone();
        break;
      case 'range':
        apply = (x) => x.div(255);
        break;
      case 'zscore': {
        const { mean, variance } = tf.moments(train, [0, 1, 2]);
        const std = variance.sqrt().add(1e-7);
        apply = (x) => x.sub(mean).div(std);
        break;
      }
    }
    const out: Record<string, tf.Tensor4D> = {};
    for (const [name, x] of Object.entries(splits)) out[name] = apply(x);
    return out as T;
  });
}
