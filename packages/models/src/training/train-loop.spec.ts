import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { meanSquaredError } from './losses.js';
import { SeededRng } from './rng.js';
import { trainModel } from './train-loop.js';

describe('trainModel early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'zeros' })] });
    const optimizer = tf.train.adam(0.1);
    const x = tf.tidy(() => tf.linspace(-1, 1, 32).reshape([32, 1]));
    // validation wants the opposite mapping, so every step that helps training hurts validation
    const [train, validation] = [{ x, y: x }, { x, y: x.neg() }];
    const steps: number[] = [];
    const result = await trainModel({
      model, optimizer, train, validation, epochs: 20, batchSize: 8, rng: new SeededRng(1),
      loss: { name: 'mse', fn: meanSquaredError },
      earlyStopping: { monitor: 'val_mse', goal: 'minimize', patience: 2 },
      onEpoch: (s) => void steps.push(s),
    });
    expect(steps).toEqual([1, 2, 3]);
    expect(result.bestEpoch).toBe(1);
    const val = await evaluate(model, validation, { mse: meanSquaredError }, 32);
    expect(val['mse']).toBeCloseTo(result.history[0]!.metrics['val_mse']!, 5);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, validation.y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('trainModel checkpoints', () => {
  it('refuses to resume a checkpoint written for a differently built model with the same weight shapes', async () => {
    await tf.setBackend('cpu');
    const checkpointDir = await mkdtemp(join(tmpdir(), 'ablate-ckpt-'));
    const x = tf.tidy(() => tf.linspace(-1, 1, 16).reshape([16, 1]));
    const run = async (activation: 'relu' | 'linear', epochs: number) => {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 4, activation }), tf.layers.dense({ units: 1 })] });
      const optimizer = tf.train.adam(0.01);
      try {
        return await trainModel({ model, optimizer, train: { x, y: x }, epochs, batchSize: 8, rng: new SeededRng(1), loss: { name: 'mse', fn: meanSquaredError }, checkpointDir });
      } finally {
        model.dispose();
        optimizer.dispose();
      }
    };
    await run('relu', 1);
    expect((await run('relu', 2)).history.map((h) => h.step)).toEqual([1, 2]);
    const before = tf.memory().numTensors;
    await expect(run('linear', 3)).rejects.toThrow(/written for a different model \(Dense:relu → Dense:linear\) than this trial builds \(Dense:linear → Dense:linear\)/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
