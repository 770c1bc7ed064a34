import * as tf from '@tensorflow/tfjs';

/** Keeps the last `steps` time steps of a [batch, time, features] tensor (the course's `Lambda(x[:, -k:, :])`). */
export class KeepLastSteps extends tf.layers.Layer {
  static readonly className = 'AblateKeepLastSteps';
  private readonly steps: number;

  constructor(steps: number) {
    super({});
    this.steps = steps;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, this.steps, shape[2] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const time = x.shape[1]!;
    return tf.slice(x, [0, time - this.steps, 0], [-1, this.steps, -1]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), steps: this.steps };
  }
}
tf.serialization.registerClass(KeepLastSteps);
