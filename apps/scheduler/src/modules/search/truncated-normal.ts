import { errorFunction, probit } from 'simple-statistics';

/** log √(2π), the constant of the normal density. */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Floor for a probability before its logarithm: a kernel far away contributes nothing, not -Infinity. */
const TINY = 1e-300;

/** Standard normal CDF. `errorFunction` is accurate to 1.2e-7, plenty for masses TPE compares (see `logMass`). */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/**
 * Log of the mass of N(mu, sigma) inside [low, high]. TPE's kernels are centred inside the range
 * and no wider than it, so the mass stays above about 0.1 and the CDF's absolute error is harmless.
 */
export function logMass(mu: number, sigma: number, low: number, high: number): number {
  return Math.log(Math.max(normalCdf((high - mu) / sigma) - normalCdf((low - mu) / sigma), TINY));
}

/** Log density at x of N(mu, sigma) truncated to [low, high]. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI - logMass(mu, sigma, low, high);
}

/** Log of the mass of N(mu, sigma) in the cell of width `step` around x (not yet truncated). */
export function cellLogMass(x: number, mu: number, sigma: number, step: number): number {
  const half = step / 2;
  return Math.log(Math.max(normalCdf((x + half - mu) / sigma) - normalCdf((x - half - mu) / sigma), TINY));
}

/**
 * Log probability of the grid point x (spacing `step`) under N(mu, sigma) truncated to the cells
 * of [low, high]: the mass of x's cell over the mass of all cells (Optuna's discrete kernel).
 */
export function discreteTruncNormLogPmf(x: number, mu: number, sigma: number, low: number, high: number, step: number): number {
  return cellLogMass(x, mu, sigma, step) - logMass(mu, sigma, low - step / 2, high + step / 2);
}

/**
 * Inverse-CDF sample of N(mu, sigma) truncated to [low, high] from one uniform u in [0, 1): one
 * uniform per sample keeps a seeded sequence easy to follow. `probit` is a closed-form
 * approximation; one Newton step on the CDF brings it to the CDF's accuracy.
 */
export function sampleTruncNorm(u: number, mu: number, sigma: number, low: number, high: number): number {
  const pa = normalCdf((low - mu) / sigma);
  const pb = normalCdf((high - mu) / sigma);
  const p = Math.min(Math.max(pa + u * (pb - pa), 1e-12), 1 - 1e-12);
  let z = probit(p);
  z -= (normalCdf(z) - p) / Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  return Math.min(Math.max(mu + sigma * z, low), high);
}

/** log(sum(exp(xs))) without overflow. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) max = Math.max(max, xs[i]!);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp(xs[i]! - max);
  return max + Math.log(sum);
}
