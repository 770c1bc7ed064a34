import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTrial } from '../run-trial.js';
import { fileModelHandler } from '../templates/model-files.js';
import { serveFolder, type ModelServer } from '../testing/model-server.js';
import { useTestBackend } from '../testing/use-test-backend.js';
import { SHARED_DATASETS } from '../testing/shared-datasets.js';

let server: ModelServer;
let imageFolder: string;
const dataRoots = [tmpdir()];

useTestBackend();

/** A served model taking `side`×`side`×`channels` inputs, as a public host would serve it. */
async function serveModel(root: string, name: string, side: number, channels: number): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [side, side, channels], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
    ],
  });
  await model.save(fileModelHandler(join(root, name, 'model.json')));
  model.dispose();
}

beforeAll(async () => {
  const served = await mkdtemp(join(tmpdir(), 'ablate-served-'));
  await serveModel(served, 'rgb16', 16, 3);
  await serveModel(served, 'gray16', 16, 1);
  server = await serveFolder(served);
  imageFolder = await mkdtemp(join(tmpdir(), 'ablate-photos-'));
  for (const [label, cls] of ['ants', 'bees'].entries()) {
    await mkdir(join(imageFolder, cls));
    for (let i = 0; i < 6; i++) {
      const img = sharp({ create: { width: 40 + i, height: 30, channels: 3, background: { r: 200 * label, g: 20 * i, b: 90 } } });
      await img.jpeg().toFile(join(imageFolder, cls, `${i}.jpg`));
    }
  }
  vi.stubEnv('ABLATE_CACHE_DIR', await mkdtemp(join(tmpdir(), 'ablate-cache-')));
});

afterAll(async () => server.close());

const base = { dataset: 'image-folder', trainSize: 10, validationSize: 10, testSize: 10, epochs: 1, batchSize: 4 };

describe('transfer with a downloaded extractor', () => {
  it('downloads the model once, loads the image folder at its input size, and trains', async () => {
    const lines: string[] = [];
    const params = { ...base, imageFolder, extractor: `${server.url}/rgb16/model.json` };
    const result = await runTrial({ template: 'transfer', params, dataRoots, log: (l) => lines.push(l) });
    expect(lines.some((l) => /^url-[0-9a-f]{16}\/weights\.bin: 100%$/.test(l))).toBe(true);
    expect(lines).toContain(`data: image folder ${imageFolder} at 16×16; 2 classes`);
    expect(lines).toContain('split sizes: train 7, validation 2, test 3');
    expect(lines.some((l) => l.startsWith('extracted 7 × 4 features'))).toBe(true);
    expect(result.metrics['test_acc']).toBeGreaterThanOrEqual(0);
    const requests = server.requests.get('/rgb16/weights.bin');
    await runTrial({ template: 'transfer', params: { ...params, head: 'random-forest', trees: 3 }, dataRoots });
    expect(server.requests.get('/rgb16/weights.bin')).toBe(requests);
  });

  it('scales CIFAR-10 (32×32, read from a read-only folder) to the extractor per batch, caching features outside the data folder', async () => {
    const lines: string[] = [];
    const params = { extractor: `${server.url}/rgb16/model.json`, trainSize: 20, validationSize: 10, testSize: 10, head: 'random-forest', trees: 3 };
    await runTrial({ template: 'transfer', params, dataDir: SHARED_DATASETS, dataRoots, log: (l) => lines.push(l) });
    expect(lines).toContain('split sizes: train 20, validation 10, test 10');
    const cacheRoot = process.env['ABLATE_CACHE_DIR']!;
    expect(lines.filter((l) => l.startsWith(`extracted 20 × 4 features into ${join(cacheRoot, 'features')}`))).toHaveLength(1);
  });

  it('says before training when the extractor does not take the input size or RGB images', async () => {
    const rgb = `${server.url}/rgb16/model.json`;
    await expect(runTrial({ template: 'transfer', params: { ...base, imageFolder, extractor: rgb, inputSize: 32 }, dataRoots })).rejects.toThrow(
      /model\.json: takes 16×16 images; inputSize 32 does not fit it \(leave inputSize out to use the extractor's own size\)/,
    );
    const gray = `${server.url}/gray16/model.json`;
    await expect(runTrial({ template: 'transfer', params: { ...base, imageFolder, extractor: gray }, dataRoots })).rejects.toThrow(/takes 1-channel images; Ablate feeds RGB images \(3 channels\)/);
  });

  it('lists the known extractors for an unknown name', async () => {
    await expect(runTrial({ template: 'transfer', params: { ...base, imageFolder, extractor: 'resnet50' }, dataRoots })).rejects.toThrow(
      /unknown extractor "resnet50"; known: mobilenet_v2, mobilenet_v2_0\.35, mobilenet_v1_0\.25, or a model\.json URL or path/,
    );
  });
});
