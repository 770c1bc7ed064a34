import { describe, expect, it } from 'vitest';
import { CategoricalParzenEstimator, NumericParzenEstimator, observationWeights } from './parzen-estimator.js';
import { SeededRandom } from './seeded-random.js';

// Reference values: Optuna 3.1.0's _ParzenEstimator (Debian's python3-optuna; univariate, prior
// weight 1, magic clip on, endpoints off, default weights) on the same observations. Its
// truncnorm.logpdf leaves out the -log(sigma) of each kernel (later Optuna releases have it), so
// for real ranges the script added it back; integer and categorical values are Optuna's as printed.
const close = (actual: number[], expected: number[]) => actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 5));

describe('NumericParzenEstimator matches Optuna', () => {
  it('real range: bandwidths from the neighbour gaps, clipped, and the mixture density', () => {
    const pe = new NumericParzenEstimator([0.2, 0.3, 0.9], { low: 0, high: 1, step: 0 });
    expect(pe.kernels().map((k) => k.sigma)).toEqual([0.2, 0.2, 0.4, 1]);
    expect(pe.kernels().map((k) => k.mu)).toEqual([0.2, 0.3, 0.9, 0.5]);
    close([0.05, 0.25, 0.5, 0.95].map((x) => pe.logPdf(x)), [-0.02842307247803133, 0.3774402608271058, 0.03435413221716721, -0.41482710018566105]);
  });

  it('log range, modelled in log space', () => {
    const pe = new NumericParzenEstimator([1e-3, 2e-3, 5e-2].map(Math.log), { low: Math.log(1e-4), high: Math.log(1e-1), step: 0 });
    close(pe.kernels().map((k) => k.sigma), [1.3815510557964275, 1.3815510557964275, 2.7607304589311226, 6.907755278982137]);
    close([2e-4, 1.5e-3, 1e-2, 9e-2].map((x) => pe.logPdf(Math.log(x))), [-2.3031644709722356, -1.5630172653574887, -1.9289244665676908, -2.3462788066356945]);
  });

  it('int range with a step: cell probabilities that sum to 1', () => {
    const pe = new NumericParzenEstimator([5, 5, 11], { low: 2, high: 11, step: 3 });
    close(pe.kernels().map((k) => k.sigma), [2.4, 2.4, 4.5, 12]);
    const logs = [2, 5, 8, 11].map((x) => pe.logPdf(x));
    close(logs, [-1.6222664727455804, -1.0479251950651962, -1.3058807329204396, -1.7095292236729667]);
    expect(logs.reduce((s, l) => s + Math.exp(l), 0)).toBeCloseTo(1, 6);
  });

  it('no observations: the prior alone', () => {
    const pe = new NumericParzenEstimator([], { low: 0, high: 1, step: 0 });
    close([0.1, 0.5].map((x) => pe.logPdf(x)), [-0.039022199509050504, 0.04097780049094957]);
  });

  it('samples inside the range, on the step grid for integers', () => {
    const rng = SeededRandom.fromSeed(3);
    const ints = new NumericParzenEstimator([5, 5, 11], { low: 2, high: 11, step: 3 });
    const reals = new NumericParzenEstimator([0.2, 0.3, 0.9], { low: 0, high: 1, step: 0 });
    for (let i = 0; i < 500; i++) {
      expect([2, 5, 8, 11]).toContain(ints.sample(rng));
      const x = reals.sample(rng);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });
});

describe('CategoricalParzenEstimator', () => {
  it('matches Optuna with a uniform prior', () => {
    const pe = new CategoricalParzenEstimator([1, 1, 2], [1, 1, 1]);
    close([0, 1, 2].map((c) => pe.logPdf(c)), [-1.6582280766035324, -0.7419373447293773, -1.0986122886681098]);
  });

  it("takes the space's weights as its prior", () => {
    const empty = new CategoricalParzenEstimator([], [3, 1]);
    close([0, 1].map((c) => Math.exp(empty.logPdf(c))), [0.75, 0.25]);
    const seen = new CategoricalParzenEstimator([1, 1, 1], [3, 1]);
    expect(seen.logPdf(1)).toBeGreaterThan(seen.logPdf(0)); // the observations outweigh the prior
  });
});

describe('observationWeights', () => {
  it('is flat up to 25 observations, then ramps the older ones from 1/n (Optuna default_weights)', () => {
    expect(observationWeights(3)).toEqual([1, 1, 1]);
    close(observationWeights(30).slice(0, 6), [0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, 1, 1]);
    expect(observationWeights(30)).toHaveLength(30);
  });
});
