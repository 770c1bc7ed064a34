import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ImageSet } from '../datasets/image-set.js';
import type { FeatureExtractor } from '../templates/feature-extractor.js';
import { useTestBackend } from '../testing/use-test-backend.js';
import { cachedFeatures } from './feature-cache.js';

useTestBackend();

/** Each image's mean colour: 3 features, and a count of how many batches it was asked for. */
function meanColour(): FeatureExtractor & { calls: number } {
  const e = {
    calls: 0,
    inputSize: 2,
    trunk: null,
    prepare: (x: tf.Tensor4D) => x,
    features: (x: tf.Tensor4D) => {
      e.calls++;
      return tf.mean<tf.Tensor2D>(x, [1, 2]);
    },
    dispose: () => undefined,
  };
  return e;
}

/** 4 images of 2×2 RGB: features are 4 × 3 floats, 52 bytes on disk with the header. */
const images: ImageSet = { pixels: Float32Array.from({ length: 48 }, (_, i) => i), labels: new Uint8Array(4), count: 4, height: 2, width: 2, channels: 3 };

describe('feature cache under the size bound', () => {
  it('extracts again the features the bound evicted, to the same values', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ablate-bound-features-'));
    // Room for one 52-byte entry, not two.
    vi.stubEnv('ABLATE_CACHE_MAX_GB', '0.00000008');
    const lines: string[] = [];
    const e = meanColour();
    const first = await cachedFeatures(e, images, 'split a', root, (l) => lines.push(l));
    await cachedFeatures(e, images, 'split a', root, (l) => lines.push(l));
    expect(e.calls).toBe(1);
    const [entryA] = await readdir(join(root, 'features'));
    await cachedFeatures(e, images, 'split b', root, (l) => lines.push(l));
    expect(lines).toContain('cache: removed the 1 least recently used features entries (52 B) to stay under 80 B (ABLATE_CACHE_MAX_GB)');
    expect(await readdir(join(root, 'features'))).not.toContain(entryA);
    const again = await cachedFeatures(e, images, 'split a', root, (l) => lines.push(l));
    expect(e.calls).toBe(3);
    expect(Array.from(again.data)).toEqual(Array.from(first.data));
    expect(await readdir(join(root, 'features'))).toEqual([entryA]);
  });
});
