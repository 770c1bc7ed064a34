import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runTrial } from '../run-trial.js';
import { useTestBackend } from '../testing/use-test-backend.js';

let imageFolder: string;
const dataRoots = [tmpdir()];

useTestBackend();

beforeAll(async () => {
  imageFolder = await mkdtemp(join(tmpdir(), 'ablate-sized-'));
  for (const split of ['train', 'val']) {
    for (const [label, cls] of ['red', 'blue'].entries()) {
      await mkdir(join(imageFolder, split, cls), { recursive: true });
      for (let i = 0; i < 6; i++) {
        const img = sharp({ create: { width: 50, height: 40 + i, channels: 3, background: { r: 255 * (1 - label), g: 10 * i, b: 255 * label } } });
        await img.png().toFile(join(imageFolder, split, cls, `${i}.png`));
      }
    }
  }
  vi.stubEnv('ABLATE_CACHE_DIR', await mkdtemp(join(tmpdir(), 'ablate-cache-')));
});

describe('imageSize', () => {
  const base = { dataset: 'image-folder', trainSize: 12, validationSize: 10, testSize: 10 };

  it('trains the course CNN on an image folder at 16×16 and logs what it used', async () => {
    const lines: string[] = [];
    const params = { ...base, imageFolder, imageSize: 16, epochs: 1, batchSize: 4 };
    const result = await runTrial({ template: 'cifar10-cnn', params, dataRoots, log: (l) => lines.push(l) });
    expect(lines).toContain(`data: image folder ${imageFolder} at 16×16; 2 classes`);
    // val/ (no test/) is halved into validation and test: 3 + 3 images, either class
    expect(lines.find((l) => l.startsWith('images per class'))).toMatch(/^images per class \(train\/validation\/test\): blue 6\/\d\/\d, red 6\/\d\/\d$/);
    expect(lines).toContain('split sizes: train 12, validation 6, test 6');
    expect(result.metrics['test_acc']).toBeGreaterThanOrEqual(0);
  });

  it('gives the random forest imageSize² × 3 pixel features, decoded once per size', async () => {
    const lines: string[] = [];
    const params = { dataset: 'image-folder', trainSize: 12, testSize: 10, imageFolder, imageSize: 12, trees: 5 };
    await runTrial({ template: 'random-forest', params, dataRoots, log: (l) => lines.push(l) });
    expect(lines).toContain('random forest: 5 trees on 12 images of 432 pixels');
    const again: string[] = [];
    await runTrial({ template: 'random-forest', params, dataRoots, log: (l) => again.push(l) });
    expect(again.filter((l) => l.endsWith('from the decode cache'))).toHaveLength(3);
  });

  it('refuses an imageSize for CIFAR-10, which is 32×32', async () => {
    await expect(runTrial({ template: 'random-forest', params: { imageSize: 64 }, dataRoots })).rejects.toThrow(/imageSize: CIFAR-10 images are 32×32/);
  });
});
