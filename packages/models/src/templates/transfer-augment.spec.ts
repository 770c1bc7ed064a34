import * as tf from '@tensorflow/tfjs';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readCifar10 } from '../datasets/cifar10.js';
import { toTensors } from '../datasets/image-set.js';
import { runTrial } from '../run-trial.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';
import { useTestBackend } from '../testing/use-test-backend.js';
import { trialRngs } from '../training/seeds.js';
import { loadFeatureExtractor } from './feature-extractor.js';
import { fileModelHandler } from './model-files.js';
import { augmentedFeatures } from './transfer-augment.js';

const SHARED = join(SHARED_DATASETS, 'cifar-10-batches-bin');
let modelPath: string;
let dataDir: string;
const dataRoots = [tmpdir()];

/** A small untrained CNN (fixed seeds) stands in for the pretrained extractor: what matters here is which inputs reach it. */
async function saveSmallExtractor(dir: string): Promise<string> {
  const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: glorot(2) }),
      tf.layers.flatten({ name: 'features' }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: glorot(3) }),
    ],
  });
  const path = join(dir, 'model.json');
  await model.save(fileModelHandler(path));
  model.dispose();
  return path;
}

useTestBackend();

beforeAll(async () => {
  modelPath = await saveSmallExtractor(await mkdtemp(join(tmpdir(), 'ablate-augment-extractor-')));
  dataDir = await mkdtemp(join(tmpdir(), 'ablate-augment-data-'));
  await symlink(SHARED, join(dataDir, 'cifar-10-batches-bin'));
  vi.stubEnv('ABLATE_CACHE_DIR', await mkdtemp(join(tmpdir(), 'ablate-augment-cache-')));
});

describe('transfer augment: the training batches', () => {
  it('are new augmented images each epoch, the same ones again for the same seed', async () => {
    const extractor = await loadFeatureExtractor({ path: modelPath, format: 'layers', featureLayer: 'features', pooling: 'none', inputRange: '0-1', inputSize: 32, stamp: 'test' });
    const { x, y } = toTensors(await readCifar10(SHARED, ['data_batch_1.bin'], 16), 0, 16);
    const batch = augmentedFeatures(extractor);
    const rng = trialRngs(3).train;
    const values = (t: tf.Tensor) => {
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const [epoch1, epoch2] = [values(batch(x, rng)), values(batch(x, rng))];
    const plain = values(extractor.features(extractor.prepare(x)));
    const replay = values(batch(x, trialRngs(3).train));
    expect(epoch1).toHaveLength(plain.length);
    expect(epoch1).not.toEqual(plain);
    expect(epoch2).not.toEqual(epoch1);
    expect(replay).toEqual(epoch1);
    tf.dispose([x, y]);
    extractor.dispose();
  });
});

describe('transfer augment: a trial', () => {
  const params = () => ({ extractor: modelPath, featureLayer: 'features', inputSize: 32, trainSize: 160, validationSize: 64, testSize: 64, epochs: 2, batchSize: 32, seed: 5 });
  type Run = { lines: string[]; epochs: [number, Record<string, number>][]; metrics: Record<string, number> };
  const run = async (extra: Record<string, unknown>, checkpointDir?: string): Promise<Run> => {
    const lines: string[] = [];
    const epochs: Run['epochs'] = [];
    const result = await runTrial({
      template: 'transfer', params: { ...params(), ...extra }, dataDir, dataRoots, log: (l) => lines.push(l),
      onEpoch: (s, m) => void epochs.push([s, m]), ...(checkpointDir ? { checkpointDir } : {}),
    });
    return { lines, epochs, metrics: result.metrics };
  };

  it('trains on augmented images while validation and test use the un-augmented cached features; a seed replays it', async () => {
    const plain = await run({});
    expect(plain.lines.filter((l) => l.startsWith('extracted '))).toHaveLength(3);
    const before = tf.memory().numTensors;
    const augmented = await run({ augment: true });
    expect(tf.memory().numTensors).toBe(before);
    // validation and test: the very features the plain run cached; training: none cached, none read
    expect(augmented.lines.filter((l) => l.startsWith('features from cache'))).toHaveLength(2);
    expect(augmented.lines.filter((l) => l.startsWith('extracted '))).toHaveLength(0);
    expect(augmented.lines).toContain('augmenting the 160 training images every epoch (rotation 15°, shifts, shear and zoom 0.15, flip); their features are extracted per batch');
    expect(augmented.epochs[0]![1]['loss']).not.toBe(plain.epochs[0]![1]['loss']);
    const again = await run({ augment: true });
    expect(again.epochs).toEqual(augmented.epochs);
    expect(again.metrics).toEqual(augmented.metrics);
  });

  it('resumes from a checkpoint with the same augmentation as an uninterrupted run', async () => {
    const whole = await run({ augment: true, epochs: 3 });
    const dir = await mkdtemp(join(tmpdir(), 'ablate-augment-ckpt-'));
    await run({ augment: true, epochs: 2 }, dir);
    const resumed = await run({ augment: true, epochs: 3 }, dir);
    expect(resumed.lines).toContain('resumed from checkpoint at epoch 2');
    expect(resumed.epochs).toEqual(whole.epochs);
    expect(resumed.metrics).toEqual(whole.metrics);
  });
});
