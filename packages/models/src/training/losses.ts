import * as tf from '@tensorflow/tfjs';

/** A per-batch metric: mean over the batch, as a scalar. */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Categorical cross-entropy on softmax outputs (Keras' `categorical_crossentropy`). */
export const categoricalCrossentropy: MetricFn = (yTrue, yPred) =>
  tf.tidy(() => tf.metrics.categoricalCrossentropy(yTrue, yPred).mean<tf.Scalar>());

/** Share of rows whose arg-max matches the one-hot label. */
export const categoricalAccuracy: MetricFn = (yTrue, yPred) =>
  tf.tidy(() => tf.metrics.categoricalAccuracy(yTrue, yPred).mean<tf.Scalar>());

/** Mean squared error over every element. */
export const meanSquaredError: MetricFn = (yTrue, yPred) =>
  tf.tidy(() => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(yTrue, yPred));
