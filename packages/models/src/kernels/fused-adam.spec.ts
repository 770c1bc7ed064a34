import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { FusedAdamOptimizer, fusedAdam } from './fused-adam.optimizer.js';

function smallNet(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

describe.each(['wasm', 'cpu'])('FusedAdamOptimizer on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('wasm');
    await tf.setBackend(backend);
  });

  it('follows tf.train.adam step for step, without leaking tensors', async () => {
    const [stock, fused] = [smallNet(), smallNet()];
    fused.setWeights(stock.getWeights());
    stock.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    fused.compile({ optimizer: fusedAdam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([6, 5, 5, 2], 0, 1, 'float32', 5);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32'), 4);
    await fused.trainOnBatch(xs, ys);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await fused.trainOnBatch(xs, ys);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 5; i++) await stock.trainOnBatch(xs, ys);
    const [a, b] = [stock.getWeights(), fused.getWeights()];
    a.forEach((w, i) => {
      const error = tf.tidy(() => tf.sub(w, b[i] ?? w).abs().max().div(tf.maximum(w.abs().max(), 1e-3)).dataSync()[0]);
      expect(error, `weight ${i}`).toBeLessThan(1e-4);
    });
    // The weights moved: the comparison above is not between two untouched copies.
    const moved = tf.tidy(() => tf.sub(a[0] ?? tf.scalar(0), smallNet().getWeights()[0] ?? tf.scalar(0)).abs().max().dataSync()[0]);
    expect(moved).toBeGreaterThan(1e-3);
    const slots = await (fused.optimizer as FusedAdamOptimizer).getWeights();
    // Same slot layout as the stock optimizer (names differ only by the layers' unique numbering).
    const layout = (names: { name: string }[]): string[] => names.map((s) => s.name.replace(/\d+/g, '#'));
    expect(layout(slots)).toEqual(layout(await stock.optimizer.getWeights()));
    tf.dispose([xs, ys]);
    stock.dispose();
    fused.dispose();
  });
});
