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

describe('trainModel keeps the weights of the objective\'s best epoch', () => {
  it('without early stopping, measures the final metrics on the best epoch when the last one is worse', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'zeros' })] });
    const optimizer = tf.train.adam(0.1);
    const x = tf.tidy(() => tf.linspace(-1, 1, 32).reshape([32, 1]));
    // validation (and the test set, its twin) want the opposite mapping: every epoch after the first is worse on them
    const [train, validation, test] = [{ x, y: x }, { x, y: x.neg() }, { x: x.clone(), y: x.neg() }];
    const result = await trainModel({
      model, optimizer, train, validation, epochs: 4, batchSize: 8, rng: new SeededRng(1),
      loss: { name: 'mse', fn: meanSquaredError }, objective: { name: 'val_mse', goal: 'minimize' },
    });
    const valMse = result.history.map((h) => h.metrics['val_mse']!);
    expect(result.step).toBe(4);
    expect(valMse[3]).toBeGreaterThan(valMse[0]! + 0.1);
    expect(result.bestEpoch).toBe(1);
    const testMse = (await evaluate(model, test, { mse: meanSquaredError }, 32))['mse']!;
    expect(testMse).toBeCloseTo(valMse[0]!, 5);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, validation.y, test.x, test.y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ranks by the objective, not by the early-stopping monitor, and keeps the best across a resume', async () => {
    await tf.setBackend('cpu');
    const checkpointDir = await mkdtemp(join(tmpdir(), 'ablate-best-'));
    const x = tf.tidy(() => tf.linspace(-1, 1, 32).reshape([32, 1]));
    const validation = { x, y: tf.tidy(() => x.neg()) };
    const run = async (epochs: number) => {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'zeros' })] });
      const optimizer = tf.train.adam(0.1);
      try {
        // training loss improves every epoch; the objective (validation) is best at epoch 1
        const result = await trainModel({
          model, optimizer, train: { x, y: x }, validation, epochs, batchSize: 8, rng: new SeededRng(1), checkpointDir,
          loss: { name: 'mse', fn: meanSquaredError }, objective: { name: 'val_mse', goal: 'minimize' },
          earlyStopping: { monitor: 'mse', goal: 'minimize', patience: 5 },
        });
        return { result, final: (await evaluate(model, validation, { mse: meanSquaredError }, 32))['mse']! };
      } finally {
        model.dispose();
        optimizer.dispose();
      }
    };
    await run(2);
    const { result, final } = await run(4);
    expect(result.history.map((h) => h.step)).toEqual([1, 2, 3, 4]);
    expect(result.bestEpoch).toBe(1);
    expect(final).toBeCloseTo(result.history[0]!.metrics['val_mse']!, 5);
    tf.dispose([x, validation.y]);
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
