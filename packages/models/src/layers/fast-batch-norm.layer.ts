import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from './batch-norm-training.op.js';

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** The fields of tfjs-layers' BatchNormalization this subclass reads (public at runtime, private in its .d.ts). */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: tf.LayerVariable | null;
  beta?: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

// tfjs-layers exports the factory, not the class; the class is the constructor of any instance.
const TfBatchNormalization = tf.layers.batchNormalization({}).constructor as Omit<typeof tf.layers.Layer, 'prototype'> &
  (new (args?: BatchNormArgs) => tf.layers.Layer);

/**
 * Drop-in for `tf.layers.batchNormalization` (same config, same weights gamma/beta/moving_mean/moving_variance,
 * same moving-average update, same inference path) whose training step for channels-last input uses
 * {@link batchNormTraining}: about half the elementwise passes of the stock layer. Other axes fall back to
 * the stock implementation.
 */
export class FastBatchNormalization extends TfBatchNormalization {
  static readonly className = 'FastBatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormInternals;
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = self.axis === -1 || (input !== undefined && self.axis === input.rank - 1);
    if (kwargs.training !== true || !input || !lastAxis) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const channels = input.shape[input.rank - 1] ?? 1;
      const gamma = (self.gamma?.read() ?? tf.ones([channels])) as tf.Tensor1D;
      const beta = (self.beta?.read() ?? tf.zeros([channels])) as tf.Tensor1D;
      const { y, mean, variance } = batchNormTraining(input, gamma, beta, self.epsilon);
      const decay = 1 - self.momentum;
      for (const [variable, value] of [[self.movingMean, mean], [self.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), decay)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  }
}
tf.serialization.registerClass(FastBatchNormalization);

/** Factory in the style of `tf.layers.batchNormalization`. */
export function fastBatchNormalization(args?: BatchNormArgs): FastBatchNormalization {
  return new FastBatchNormalization(args);
}
