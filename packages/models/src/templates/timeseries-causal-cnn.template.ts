import * as tf from '@tensorflow/tfjs';
import type { TimeseriesCausalCnnParams } from '@ablate/contracts';
import { CausalConv1D } from '../layers/index.js';
import { csvSeries } from '../datasets/csv-series.js';
import type { SeriesWindows } from '../datasets/series-windows.js';
import { syntheticSeries } from '../datasets/synthetic-series.js';
import { meanSquaredError } from '../training/losses.js';
import type { SeededRng } from '../training/rng.js';
import { trialRngs } from '../training/seeds.js';
import { trainModel } from '../training/train-loop.js';
import { finalMetrics } from './final-metrics.js';
import { KeepLastSteps } from './keep-last-steps.layer.js';
import { fusedAdam } from '../kernels/index.js';
import type { TemplateRunner } from './template.types.js';

/** N × CausalConv1D(filters, kernel, ReLU, dilation) → Dense(1) per step → the last `lookAhead` steps. */
export function buildCausalCnn(p: TimeseriesCausalCnnParams, init: SeededRng): tf.Sequential {
  const model = tf.sequential();
  for (let i = 0; i < p.layers; i++) {
    model.add(new CausalConv1D({
      ...(i === 0 ? { inputShape: [p.inputSteps, 1] } : {}),
      filters: p.filters, kernelSize: p.kernelSize, dilationRate: p.dilations[i] ?? 1, activation: 'relu', seed: init.seed(),
    }));
  }
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: init.seed() }) }));
  model.add(new KeepLastSteps(p.lookAhead));
  return model;
}

/**
 * Auto-regressive forecast: predict `lookAhead` steps, append them to the window, repeat; returns
 * the MSE against the truths over every forecast step.
 */
export function forecastMse(model: tf.LayersModel, forecast: SeriesWindows['forecast'], lookAhead: number): number {
  const { contexts, truths } = forecast;
  if (contexts.length === 0) return Number.NaN;
  const inputSteps = contexts[0]!.length;
  const steps = Math.max(...truths.map((t) => t.length));
  const predicted = tf.tidy(() => {
    let window = tf.tensor3d(concat(contexts), [contexts.length, inputSteps, 1]);
    const parts: tf.Tensor[] = [];
    for (let done = 0; done < steps; done += lookAhead) {
      const next = model.predict(window) as tf.Tensor3D;
      parts.push(next);
      window = tf.concat([window.slice([0, lookAhead, 0], [-1, -1, -1]), next], 1);
    }
    return tf.concat(parts, 1).reshape([contexts.length, -1]);
  });
  const values = predicted.arraySync() as number[][];
  predicted.dispose();
  let sum = 0;
  let n = 0;
  truths.forEach((truth, i) => truth.forEach((v, t) => ((sum += (values[i]![t]! - v) ** 2), (n += 1))));
  return sum / n;
}

/** The course's causal / dilated 1D CNN forecasting lesson. */
export const runTimeseriesCausalCnn: TemplateRunner<TimeseriesCausalCnnParams> = async (ctx) => {
  const p = ctx.params;
  const data = p.dataset === 'csv'
    ? await csvSeries({ path: p.csvPath!, column: p.csvColumn, inputSteps: p.inputSteps, lookAhead: p.lookAhead, forecastSteps: p.forecastSteps })
    : syntheticSeries({ count: p.seriesCount, inputSteps: p.inputSteps, lookAhead: p.lookAhead, noise: p.noise, forecastSteps: p.forecastSteps, seed: p.seed });
  const rngs = trialRngs(p.seed);
  const train = { x: tf.tensor3d(data.trainX, [data.trainCount, p.inputSteps, 1]), y: tf.tensor3d(data.trainY, [data.trainCount, p.lookAhead, 1]) };
  const validation = { x: tf.tensor3d(data.valX, [data.valCount, p.inputSteps, 1]), y: tf.tensor3d(data.valY, [data.valCount, p.lookAhead, 1]) };
  const model = buildCausalCnn(p, rngs.init);
  const optimizer = fusedAdam(p.learningRate);
  try {
    const result = await trainModel({
      model, optimizer, train, validation, rng: rngs.train, loss: { name: 'mse', fn: meanSquaredError },
      epochs: p.epochs, batchSize: p.batchSize,
      onEpoch: ctx.onEpoch, signal: ctx.signal, checkpointDir: ctx.checkpointDir, log: ctx.log, objective: ctx.objective,
    });
    const metrics = finalMetrics(result, ['val_mse']);
    metrics['forecast_mse'] = forecastMse(model, data.forecast, p.lookAhead);
    return { step: result.step, scoreStep: result.bestEpoch, metrics };
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y]);
  }
};

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}
