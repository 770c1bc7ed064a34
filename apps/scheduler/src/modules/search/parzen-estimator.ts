import type { SeededRandom } from './seeded-random.js';
import { cellLogMass, LOG_SQRT_2PI, logMass, logSumExp, sampleTruncNorm } from './truncated-normal.js';

/** Weight of the prior kernel next to the observations' (Optuna's prior_weight). */
export const PRIOR_WEIGHT = 1;

/**
 * Optuna's default weights for n observations in creation order: 1 each for up to 25, beyond that
 * the 25 newest keep 1 and older ones ramp down from 1 to 1/n, so early luck fades.
 */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = n - 25;
  return [...Array.from({ length: ramp }, (_, i) => (ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1))), ...Array.from({ length: 25 }, () => 1)];
}

/** Mixture weights: the observations' and the prior's, normalised. */
function mixtureWeights(n: number): number[] {
  const raw = [...observationWeights(n), PRIOR_WEIGHT];
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}

/** A numeric search range in the space TPE models (log space for loguniform); `step` 0 for reals. */
export interface NumericDomain {
  low: number;
  high: number;
  step: number;
}

/**
 * Optuna's univariate Parzen estimator for a numeric param: one truncated Gaussian per observation
 * plus a wide prior one at the centre. An observation's bandwidth is the larger gap to its sorted
 * neighbours (the range ends count as neighbours, the prior's centre too), except the two outermost,
 * which take their inner gap ("consider_endpoints" off); all clipped to
 * [range / min(100, 1 + kernels), range] ("magic clip").
 */
export class NumericParzenEstimator {
  private readonly mus: number[];
  private readonly sigmas: number[];
  private readonly weights: number[];
  /** Per kernel, every term of its log density that does not depend on x (weight, scale, truncation). */
  private readonly offsets: number[];
  private readonly terms: Float64Array;

  constructor(
    observations: readonly number[],
    private readonly domain: NumericDomain,
  ) {
    const { low, high, step } = domain;
    const width = high - low + step;
    const prior = 0.5 * (low + high);
    const n = observations.length;
    const withPrior = [...observations, prior];
    const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a]! - withPrior[b]!);
    const sorted = [low - step / 2, ...order.map((i) => withPrior[i]!), high + step / 2];
    const sortedSigmas = order.map((_, j) => Math.max(sorted[j + 1]! - sorted[j]!, sorted[j + 2]! - sorted[j + 1]!));
    if (sorted.length >= 4) {
      sortedSigmas[0] = sorted[2]! - sorted[1]!;
      sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
    }
    const sigmas = new Array<number>(withPrior.length);
    order.forEach((i, j) => (sigmas[i] = sortedSigmas[j]!));
    const minSigma = width / Math.min(100, 1 + n + 1);
    this.mus = withPrior;
    this.sigmas = [...sigmas.slice(0, n).map((s) => Math.min(Math.max(s, minSigma), width)), width];
    this.weights = mixtureWeights(n);
    // Precomputed so that a candidate costs one exp-free term per kernel (two CDFs for integers):
    // with 10,000 observations this took a proposal from 300 ms to the figure in docs/search.md.
    this.offsets = this.mus.map((mu, k) => {
      const sigma = this.sigmas[k]!;
      const logW = Math.log(this.weights[k]!);
      return step === 0 ? logW - Math.log(sigma) - LOG_SQRT_2PI - logMass(mu, sigma, low, high) : logW - logMass(mu, sigma, low - step / 2, high + step / 2);
    });
    this.terms = new Float64Array(this.mus.length);
  }

  /** The kernels (observations first, the prior last), for inspection and tests. */
  kernels(): { mu: number; sigma: number; weight: number }[] {
    return this.mus.map((mu, k) => ({ mu, sigma: this.sigmas[k]!, weight: this.weights[k]! }));
  }

  /** Draws a value: a kernel by weight, then a point of it (on the step grid for integers). */
  sample(rng: SeededRandom): number {
    const { low, high, step } = this.domain;
    const k = rng.pick(this.weights);
    const x = sampleTruncNorm(rng.next(), this.mus[k]!, this.sigmas[k]!, low - step / 2, high + step / 2);
    if (step === 0) return x;
    return Math.min(Math.max(low + Math.round((x - low) / step) * step, low), high);
  }

  /** Log density (log probability for integers) of the mixture at x. */
  logPdf(x: number): number {
    const step = this.domain.step;
    for (let k = 0; k < this.mus.length; k++) {
      const mu = this.mus[k]!;
      const sigma = this.sigmas[k]!;
      const z = (x - mu) / sigma;
      this.terms[k] = this.offsets[k]! + (step === 0 ? -0.5 * z * z : cellLogMass(x, mu, sigma, step));
    }
    return logSumExp(this.terms);
  }
}

/**
 * Optuna's Parzen estimator for a categorical param: each observation is a kernel with mass 1 on
 * its choice plus the prior smeared over all choices; the prior kernel is the prior itself. The
 * prior is the space's `weights` (uniform without them), so TPE starts from what the user said.
 */
export class CategoricalParzenEstimator {
  private readonly kernels: number[][];
  private readonly weights: number[];

  constructor(observations: readonly number[], prior: readonly number[]) {
    const total = prior.reduce((a, b) => a + b, 0);
    const p0 = prior.map((w) => w / total);
    const n = observations.length;
    const smear = (prior.length * PRIOR_WEIGHT) / (n + 1);
    this.kernels = [
      ...observations.map((c) => {
        const row = p0.map((p, j) => smear * p + (j === c ? 1 : 0));
        const sum = row.reduce((a, b) => a + b, 0);
        return row.map((v) => v / sum);
      }),
      p0,
    ];
    this.weights = mixtureWeights(n);
  }

  /** Draws a choice index. */
  sample(rng: SeededRandom): number {
    return rng.pick(this.kernels[rng.pick(this.weights)]!);
  }

  /** Log probability of choice index c. */
  logPdf(c: number): number {
    let p = 0;
    this.kernels.forEach((row, k) => (p += this.weights[k]! * row[c]!));
    return Math.log(Math.max(p, 1e-300));
  }
}
