import * as tf from '@tensorflow/tfjs';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestBackend } from '../testing/use-test-backend.js';
import { readCifar10 } from '../datasets/cifar10.js';
import { toTensors } from '../datasets/image-set.js';
import { runTrial } from '../run-trial.js';
import { fileModelHandler } from './model-files.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';

const SHARED = join(SHARED_DATASETS, 'cifar-10-batches-bin');
let extractorUrl: string;
let dataDir: string;
/** The extractor is saved under the temp folder, so that is where the data roots must reach. */
const dataRoots = [tmpdir()];

/** A small CNN trained and saved by the test itself, standing in for an ImageNet model. */
async function trainSmallExtractor(dir: string): Promise<void> {
  const images = await readCifar10(SHARED, ['data_batch_1.bin'], 256);
  const { x, y } = toTensors(images, 0, 256);
  const scaled = x.div(255);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.globalAveragePooling2d({ name: 'features' }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await model.fit(scaled, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
  await model.save(fileModelHandler(join(dir, 'model.json')));
  tf.dispose([x, y, scaled]);
  model.dispose();
}

useTestBackend();

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ablate-extractor-'));
  await trainSmallExtractor(dir);
  extractorUrl = `file://${join(dir, 'model.json')}`;
  // a fresh data dir per run (so the feature cache starts empty) that sees the offline CIFAR-10 copy
  dataDir = await mkdtemp(join(tmpdir(), 'ablate-transfer-data-'));
  // features (and downloaded models) go to the cache root, never the data folder: a fresh one per run
  vi.stubEnv('ABLATE_CACHE_DIR', await mkdtemp(join(tmpdir(), 'ablate-transfer-cache-')));
  await symlink(SHARED, join(dataDir, 'cifar-10-batches-bin'));
});

describe('transfer', () => {
  const base = { featureLayer: 'features', inputSize: 32, trainSize: 200, validationSize: 64, testSize: 64, seed: 2 };

  it('trains a dense head on 100 labels, then fine-tunes the top layer', async () => {
    const steps: number[] = [];
    const lines: string[] = [];
    const params = { ...base, extractor: extractorUrl, labels: 100, epochs: 2, batchSize: 32, fineTuneLayers: 1, fineTuneEpochs: 1 };
    const before = tf.memory().numTensors;
    const result = await runTrial({ template: 'transfer', params, dataDir, dataRoots, onEpoch: (s) => void steps.push(s), log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toEqual([1, 2, 3]);
    expect(result.step).toBe(3);
    expect(lines.some((l) => l.startsWith('extracted 100 × 16 features'))).toBe(true);
    expect(lines.some((l) => l.startsWith('fine-tuning conv2d'))).toBe(true);
    expect(result.metrics['test_acc']).toBeGreaterThanOrEqual(0);
  });

  it('reuses the cached features with a random-forest head', async () => {
    const lines: string[] = [];
    const params = { ...base, extractor: extractorUrl.replace('file://', ''), labels: 100, head: 'random-forest', trees: 5 };
    const result = await runTrial({ template: 'transfer', params, dataDir, dataRoots, log: (l) => lines.push(l) });
    expect(lines.filter((l) => l.startsWith('features from cache'))).toHaveLength(3);
    expect(result.metrics['test_acc']).toBeGreaterThan(0);
  });

  it('names a missing extractor file', async () => {
    const missing = join(tmpdir(), 'nope', 'model.json');
    await expect(runTrial({ template: 'transfer', params: { ...base, extractor: missing }, dataDir, dataRoots })).rejects.toThrow(`${missing}: model file not found`);
  });
});
