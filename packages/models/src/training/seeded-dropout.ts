import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from './rng.js';

/**
 * Dropout whose masks come from the trial's seeded RNG. tfjs-layers' `Dropout` either draws from
 * Math.random (not reproducible) or, given a `seed`, reuses one mask for every batch; this layer
 * draws a fresh seed from the trial RNG per call, so masks differ per batch yet a resumed trial
 * replays them exactly. At inference it is the identity (inverted dropout scales at train time).
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'AblateSeededDropout';
  private readonly rate: number;
  private readonly rng: SeededRng;

  constructor(rate: number, rng: SeededRng, name?: string) {
    super(name === undefined ? {} : { name });
    this.rate = rate;
    this.rng = rng;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs['training'] !== true || this.rate === 0) return x;
    const seed = this.rng.seed();
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, seed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
