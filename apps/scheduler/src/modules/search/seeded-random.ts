import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The samplers' source of randomness: pure-rand's xoroshiro128+, whose whole state is four 32-bit
 * numbers, so it is stored as JSON in `sweeps.sweep_state` and a proposal carries on exactly where
 * the previous one stopped (after a restart, or on another scheduler instance).
 */
export class SeededRandom {
  private constructor(private readonly rng: RandomGenerator) {}

  static fromSeed(seed: number): SeededRandom {
    return new SeededRandom(xoroshiro128plus(seed));
  }

  static fromState(state: readonly number[]): SeededRandom {
    return new SeededRandom(xoroshiro128plusFromState(state));
  }

  /** The state to store; `fromState` of it continues the same sequence. */
  state(): number[] {
    return [...this.rng.getState()];
  }

  /** A number in [0, 1), all 2^53 values equally likely. */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** An index drawn with probability proportional to `weights` (at least one above 0). */
  pick(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let u = this.next() * total;
    for (const [i, w] of weights.entries()) {
      if (u < w) return i;
      u -= w;
    }
    // Rounding can leave u a hair above the last weight: the last positive weight takes it.
    return weights.findLastIndex((w) => w > 0);
  }
}
