import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrial } from '../run-trial.js';
import { loadCheckpoint } from '../training/checkpoint.js';
import { Cifar10CnnParams } from '@ablate/contracts';
import { trialRngs } from '../training/seeds.js';
import { buildCourseCnn } from './cifar10-cnn.template.js';
import { useTestBackend } from '../testing/use-test-backend.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';

/** The offline CIFAR-10 copy, used as a pre-filled data dir. */
const dataDir = SHARED_DATASETS;
const small = { trainSize: 96, validationSize: 64, testSize: 64, batchSize: 32, seed: 5 };

useTestBackend();

describe('cifar10-cnn', () => {
  it('trains every knob at once and reports test accuracy', async () => {
    const seen: Record<string, number>[] = [];
    const params = { ...small, epochs: 2, dropout: 0.3, batchNorm: true, augment: true, patience: 1 };
    const result = await runTrial({ template: 'cifar10-cnn', params, dataDir, onEpoch: (_s, m) => void seen.push(m) });
    expect(Object.keys(seen[0]!).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(Object.keys(result.metrics).sort()).toEqual(['test_acc', 'test_loss', 'val_acc', 'val_loss']);
    expect(result.metrics['test_acc']).toBeGreaterThanOrEqual(0);
    expect(result.metrics['test_acc']).toBeLessThanOrEqual(1);
  });

  it('places batch norm between the convolution and the ReLU by default, or after the ReLU', () => {
    expect(Cifar10CnnParams.parse({}).batchNormPosition).toBe('before-activation');
    const layersOf = (batchNormPosition: 'after-activation' | 'before-activation'): string[] => {
      const rngs = trialRngs(1);
      const model = buildCourseCnn({ dropout: 0, batchNorm: true, batchNormMomentum: 0.99, batchNormPosition }, 10, rngs.init, rngs.train);
      const names = model.layers.filter((l) => l.getClassName() !== 'InputLayer').slice(0, 4).map((l) => `${l.getClassName()}${l.getClassName() === 'Conv2D' ? `:${String((l.getConfig() as { activation?: unknown }).activation)}` : ''}`);
      model.dispose();
      return names;
    };
    expect(layersOf('after-activation')).toEqual(['FastBatchNormalization', 'Conv2D:relu', 'FastBatchNormalization', 'Conv2D:relu']);
    expect(layersOf('before-activation')).toEqual(['FastBatchNormalization', 'Conv2D:linear', 'FastBatchNormalization', 'Activation']);
  });

  it('trains with batch norm after the activation', async () => {
    const result = await runTrial({ template: 'cifar10-cnn', params: { ...small, epochs: 1, batchNorm: true, batchNormPosition: 'after-activation' }, dataDir });
    expect(result.metrics['test_acc']).toBeGreaterThanOrEqual(0);
    expect(result.step).toBe(1);
  });

  it('resumes from a checkpoint exactly: 2 epochs + 1 in a new run == 3 epochs straight', async () => {
    const params = { ...small, dropout: 0.3, augment: true, standardization: 'zscore' };
    const straight = await mkdtemp(join(tmpdir(), 'ablate-ckpt-a-'));
    const resumed = await mkdtemp(join(tmpdir(), 'ablate-ckpt-b-'));
    const a = await runTrial({ template: 'cifar10-cnn', params: { ...params, epochs: 3 }, dataDir, checkpointDir: straight });
    await runTrial({ template: 'cifar10-cnn', params: { ...params, epochs: 2 }, dataDir, checkpointDir: resumed });
    const reported: number[] = [];
    const b = await runTrial({ template: 'cifar10-cnn', params: { ...params, epochs: 3 }, dataDir, checkpointDir: resumed, resumeAfterStep: 1, onEpoch: (s) => void reported.push(s) });
    // Epoch 2 comes from the checkpoint (reported again: the caller holds only epoch 1); only 3 is trained.
    expect(reported).toEqual([2, 3]);
    expect(b.step).toBe(3);
    const [ca, cb] = [(await loadCheckpoint(straight))!, (await loadCheckpoint(resumed))!];
    expect(cb.rngState).toEqual(ca.rngState);
    expect(cb.history.map((h) => h.step)).toEqual([1, 2, 3]);
    for (const [i, w] of ca.weights.entries()) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(w, cb.weights[i]!))).dataSync()[0]!);
      expect(diff).toBeLessThan(1e-5);
    }
    for (const [i, o] of ca.optimizer.entries()) {
      expect(cb.optimizer[i]!.tensor.shape).toEqual(o.tensor.shape);
    }
    expect(b.metrics['test_acc']).toBeCloseTo(a.metrics['test_acc']!, 5);
    tf.dispose([...ca.weights, ...cb.weights, ...ca.optimizer.map((o) => o.tensor), ...cb.optimizer.map((o) => o.tensor)]);
  });

  it('leaks no tensors across consecutive trials', async () => {
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await runTrial({ template: 'cifar10-cnn', params: { ...small, epochs: 1, batchNorm: true, patience: 1, seed: i }, dataDir });
      counts.push(tf.memory().numTensors);
    }
    expect(counts[2]).toBe(counts[0]);
    expect(counts[1]).toBe(counts[0]);
  });
});
