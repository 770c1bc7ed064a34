import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runTrial } from '../run-trial.js';
import { fileModelHandler } from '../templates/model-files.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';
import { useTestBackend } from '../testing/use-test-backend.js';
import { loadCheckpoint } from '../training/checkpoint.js';
import { buildExportable, exportCheckpointModel } from './export-checkpoint.js';

const SHARED = join(SHARED_DATASETS, 'cifar-10-batches-bin');
/** One tiny epoch of the course CNN with both of Ablate's own layers (seeded dropout, fast batch norm). */
const params = { trainSize: 128, validationSize: 64, testSize: 64, epochs: 1, batchSize: 32, dropout: 0.3, batchNorm: true, seed: 4 };
let dataDir: string;
let checkpointDir: string;

useTestBackend();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ablate-export-data-'));
  await symlink(SHARED, join(dataDir, 'cifar-10-batches-bin'));
  vi.stubEnv('ABLATE_CACHE_DIR', await mkdtemp(join(tmpdir(), 'ablate-export-cache-')));
  checkpointDir = await mkdtemp(join(tmpdir(), 'ablate-export-ckpt-'));
  await runTrial({ template: 'cifar10-cnn', params, dataDir, checkpointDir });
});

describe('a CNN trial\'s checkpoint as a TF.js model', () => {
  it('exports stock layers that tf.loadLayersModel reads and that predict as the trained network does', async () => {
    const outDir = join(await mkdtemp(join(tmpdir(), 'ablate-export-out-')), 'model');
    const info = await exportCheckpointModel({ template: 'cifar10-cnn', params, checkpointDir, outDir });
    expect(info).toMatchObject({ template: 'cifar10-cnn', epoch: 1, inputShape: [32, 32, 3], inputRange: '0-255', classes: 10 });
    expect(info.featureLayers).toEqual(['flatten', 'dense_3', 'dense_2', 'dense_1']);
    const json = await readFile(join(outDir, 'model.json'), 'utf8');
    expect(json).not.toMatch(/FastBatchNormalization|AblateSeededDropout/);
    expect(json).toMatch(/"BatchNormalization"/);

    const loaded = await tf.loadLayersModel(fileModelHandler(join(outDir, 'model.json')));
    const ckpt = (await loadCheckpoint(checkpointDir))!;
    const { model } = buildExportable('cifar10-cnn', params, 10);
    model.setWeights(ckpt.weights);
    const x = tf.randomUniform([4, 32, 32, 3], 0, 255, 'float32', 1);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Math.max(...(await a.sub(b).abs().data()))).toBeLessThan(1e-5);
    tf.dispose([x, a, b, ...ckpt.weights, ...ckpt.optimizer.map((t) => t.tensor), ...(ckpt.bestWeights ?? [])]);
    model.dispose();
    loaded.dispose();
  });

  it('is written into the checkpoint folder while training, and serves as a transfer trial\'s extractor by path', async () => {
    const modelJson = join(checkpointDir, 'model', 'model.json');
    const info = JSON.parse(await readFile(join(checkpointDir, 'model', 'ablate-model.json'), 'utf8')) as { featureLayers: string[]; inputRange: string };
    const lines: string[] = [];
    const result = await runTrial({
      template: 'transfer', dataDir, dataRoots: [tmpdir()], log: (l) => lines.push(l),
      params: { extractor: modelJson, featureLayer: info.featureLayers[1], inputRange: info.inputRange, trainSize: 100, validationSize: 32, testSize: 32, epochs: 1, batchSize: 32 },
    });
    expect(lines.some((l) => /extracted 100 × 100 features/.test(l))).toBe(true);
    expect(result.metrics['test_acc']).toBeGreaterThanOrEqual(0);
    expect(result.metrics['test_acc']).toBeLessThanOrEqual(1);
  });

  it('refuses templates that hold no CNN, and folders without a checkpoint', async () => {
    await expect(exportCheckpointModel({ template: 'random-forest', params: {}, checkpointDir, outDir: tmpdir() })).rejects.toThrow(/only mnist-cnn and cifar10-cnn trials export/);
    const empty = await mkdtemp(join(tmpdir(), 'ablate-export-none-'));
    await expect(exportCheckpointModel({ template: 'cifar10-cnn', params, checkpointDir: empty, outDir: tmpdir() })).rejects.toThrow(`no checkpoint in ${empty}`);
  });
});
