import { SeededRng } from '../training/rng.js';
import type { SeriesWindows } from './series-windows.js';

export interface SyntheticSeriesOptions {
  count: number;
  inputSteps: number;
  lookAhead: number;
  noise: number;
  forecastSteps: number;
  seed: number;
}

/**
 * The course's series: `sin(s + linspace(0, 20π, L)) * sin(s + linspace(0, π, L)) + N(0, noise)`
 * with `L = inputSteps + lookAhead` (128 + 10) and one phase `s ~ U(0, 2π)` per series; the first
 * 80% train, the rest validate. Each series continues on the same time grid past `L` so the
 * validation series also hold the truth of a `forecastSteps`-long auto-regressive forecast.
 */
export function syntheticSeries(o: SyntheticSeriesOptions): SeriesWindows {
  const rng = new SeededRng(o.seed);
  const window = o.inputSteps + o.lookAhead;
  const total = o.inputSteps + Math.max(o.lookAhead, o.forecastSteps);
  const fast = (20 * Math.PI) / (window - 1);
  const slow = Math.PI / (window - 1);
  const trainCount = Math.round(o.count * 0.8);
  const valCount = o.count - trainCount;
  const out: SeriesWindows = {
    inputSteps: o.inputSteps, lookAhead: o.lookAhead, trainCount, valCount,
    trainX: new Float32Array(trainCount * o.inputSteps), trainY: new Float32Array(trainCount * o.lookAhead),
    valX: new Float32Array(valCount * o.inputSteps), valY: new Float32Array(valCount * o.lookAhead),
    forecast: { contexts: [], truths: [] },
  };
  const series = new Float32Array(total);
  for (let i = 0; i < o.count; i++) {
    const s = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < total; t++) {
      series[t] = Math.sin(s + fast * t) * Math.sin(s + slow * t) + o.noise * rng.normal();
    }
    const isTrain = i < trainCount;
    const row = isTrain ? i : i - trainCount;
    (isTrain ? out.trainX : out.valX).set(series.subarray(0, o.inputSteps), row * o.inputSteps);
    (isTrain ? out.trainY : out.valY).set(series.subarray(o.inputSteps, window), row * o.lookAhead);
    if (!isTrain) {
      out.forecast.contexts.push(series.slice(0, o.inputSteps));
      out.forecast.truths.push(series.slice(o.inputSteps, o.inputSteps + o.forecastSteps));
    }
  }
  return out;
}
