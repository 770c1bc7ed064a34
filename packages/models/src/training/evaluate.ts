import * as tf from '@tensorflow/tfjs';
import type { MetricFn } from './losses.js';

/** Inputs and one-hot (or regression) targets, first axis = examples. */
export interface Examples {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** Runs `model` in inference mode over `data` in batches; returns each metric's mean over examples. */
export async function evaluate(
  model: tf.LayersModel,
  data: Examples,
  metrics: Record<string, MetricFn>,
  batchSize: number,
): Promise<Record<string, number>> {
  const n = data.x.shape[0];
  const sums: Record<string, number> = {};
  for (const name of Object.keys(metrics)) sums[name] = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const values = tf.tidy(() => {
      const x = data.x.slice(start, size);
      const y = data.y.slice(start, size);
      const pred = model.predict(x) as tf.Tensor;
      return tf.stack(Object.values(metrics).map((fn) => fn(y, pred)));
    });
    const arr = await values.data();
    values.dispose();
    Object.keys(metrics).forEach((name, i) => (sums[name] = sums[name]! + arr[i]! * size));
  }
  const out: Record<string, number> = {};
  for (const [name, sum] of Object.entries(sums)) out[name] = sum / n;
  return out;
}
