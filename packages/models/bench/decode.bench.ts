/**
 * `npm run bench:decode`: what the decode cache saves a sweep. Writes an image folder of JPEGs
 * shaped like a course project's photos (train/ and val/, two classes), then loads it as a trial
 * does, twice per size: the first load decodes and resizes every JPEG with sharp and writes the
 * cache, the second reads the cache. Env: BENCH_DECODE_IMAGES (default 300), BENCH_DECODE_SIZES
 * (default 32,224).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadImageSplits } from '../src/datasets/image-splits.js';

const IMAGES = Number(process.env.BENCH_DECODE_IMAGES ?? 300);
const SIZES = (process.env.BENCH_DECODE_SIZES ?? '32,224').split(',').map(Number);

/** A 500×375 JPEG (the ants-vs-bees photos' typical size) of seeded texture, so it compresses like a photo, not a flat colour. */
async function photo(path: string, seed: number): Promise<void> {
  const pixels = Buffer.alloc(500 * 375 * 3);
  let s = seed * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    pixels[i] = ((i * 7 + seed * 13) & 255) ^ (s >>> 26);
  }
  await sharp(pixels, { raw: { width: 500, height: 375, channels: 3 } }).jpeg({ quality: 85 }).toFile(path);
}

const root = await mkdtemp(join(tmpdir(), 'ablate-bench-decode-'));
try {
  const perClass = Math.ceil(IMAGES / 2);
  for (const cls of ['ants', 'bees']) {
    for (let i = 0; i < perClass; i++) {
      const split = i < perClass * (2 / 3) ? 'train' : 'val';
      await mkdir(join(root, 'photos', split, cls), { recursive: true });
      await photo(join(root, 'photos', split, cls, `${i}.jpg`), i + (cls === 'bees' ? 10_000 : 0));
    }
  }
  for (const size of SIZES) {
    const cache = join(root, `cache-${size}`);
    for (const run of ['decode', 'cache']) {
      const start = performance.now();
      const s = await loadImageSplits({ dataset: 'image-folder', imageFolder: join(root, 'photos'), imageSize: size, dataDir: root, trainSize: 1e5, validationSize: 1e5, testSize: 1e5, decodeCacheDir: cache });
      const n = s.train.count + s.validation.count + s.test.count;
      console.log(`${n} JPEGs (500×375) at ${size}×${size}: ${run === 'decode' ? 'first load (decode) ' : 'second load (cache)'} ${((performance.now() - start) / 1000).toFixed(2)} s`);
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
