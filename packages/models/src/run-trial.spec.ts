import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runTrial } from './run-trial.js';
import { useTestBackend } from './testing/use-test-backend.js';

useTestBackend();

describe('runTrial mnist-cnn', () => {
  it('trains, reports every epoch and is deterministic for a seed', async () => {
    const params = { trainSize: 256, validationSize: 128, epochs: 2, batchSize: 32, dropout: 0.2, learningRate: 0.005, seed: 3 };
    const epochs: [number, Record<string, number>][] = [];
    const a = await runTrial({ template: 'mnist-cnn', params, onEpoch: (s, m) => void epochs.push([s, m]) });
    expect(epochs.map(([s]) => s)).toEqual([1, 2]);
    expect(Object.keys(epochs[0]![1]).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(a.step).toBe(2);
    expect(a.backend).toBe(tf.getBackend());
    expect(epochs[1]![1]['loss']).toBeLessThan(epochs[0]![1]['loss']!);
    expect(a.metrics['val_acc']).toBeGreaterThan(0.5);
    const b = await runTrial({ template: 'mnist-cnn', params });
    expect(b.metrics).toEqual(a.metrics);
  });

  it('rejects with an AbortError between batches', async () => {
    const controller = new AbortController();
    const run = runTrial({
      template: 'mnist-cnn',
      params: { trainSize: 64, validationSize: 16, epochs: 3, batchSize: 32 },
      signal: controller.signal,
      onEpoch: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('names the bad param', async () => {
    await expect(runTrial({ template: 'mnist-cnn', params: { epochs: 0 } })).rejects.toThrow(/epochs/);
    await expect(runTrial({ template: 'nope', params: {} })).rejects.toThrow(/unknown template/);
  });
});
