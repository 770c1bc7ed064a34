import { describe, expect, it } from 'vitest';
import { discreteTruncNormLogPmf, logSumExp, normalCdf, sampleTruncNorm, truncNormLogPdf } from './truncated-normal.js';

describe('truncated normal', () => {
  it('has the standard normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 6);
  });

  it('samples by the inverse CDF: the sample sits at quantile u of the truncated law, inside the bounds', () => {
    const [mu, sigma, low, high] = [0.3, 0.4, 0, 1];
    const cdf = (x: number) => (normalCdf((x - mu) / sigma) - normalCdf((low - mu) / sigma)) / (normalCdf((high - mu) / sigma) - normalCdf((low - mu) / sigma));
    for (const u of [0, 0.001, 0.25, 0.5, 0.9, 0.999999]) {
      const x = sampleTruncNorm(u, mu, sigma, low, high);
      expect(x).toBeGreaterThanOrEqual(low);
      expect(x).toBeLessThanOrEqual(high);
      expect(cdf(x)).toBeCloseTo(u, 5);
    }
  });

  it('has densities that integrate to 1 over the range, and cell probabilities that sum to 1', () => {
    let area = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) area += Math.exp(truncNormLogPdf((i + 0.5) / n, 0.9, 0.2, 0, 1)) / n;
    expect(area).toBeCloseTo(1, 5);
    const cells = [0, 2, 4, 6].map((x) => Math.exp(discreteTruncNormLogPmf(x, 5, 1.5, 0, 6, 2)));
    expect(cells.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(logSumExp([Math.log(1), Math.log(3)])).toBeCloseTo(Math.log(4), 12);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
  });
});
