import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { boundCacheKind } from '../cache/cache-evict.js';
import { markCacheUse } from '../cache/cache-use.js';
import type { ImageSet } from '../datasets/image-set.js';
import type { FeatureExtractor } from '../templates/feature-extractor.js';

/**
 * Features of every image, computed in batches, cached on disk under
 * `<cacheRoot>/features/<hash of key>.bin` (`resolveCacheRoot()`, never the dataset's folder) so a
 * sweep extracts them once per data set and extractor. A hit records the use (cache-use.ts); a write
 * first makes room under `ABLATE_CACHE_MAX_GB` (least recently used features go first); an entry
 * the bound removed is simply extracted again.
 */
export async function cachedFeatures(
  extractor: FeatureExtractor, images: ImageSet, key: string, cacheRoot: string, log?: (line: string) => void,
): Promise<{ data: Float32Array; dim: number }> {
  const file = join(cacheRoot, 'features', `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.bin`);
  const cached = await readFile(file).catch(() => null);
  if (cached && cached.byteLength > 4) {
    const dim = cached.readUInt32LE(0);
    const data = new Float32Array(cached.buffer.slice(cached.byteOffset + 4, cached.byteOffset + cached.byteLength));
    if (dim > 0 && data.length === dim * images.count) {
      await markCacheUse(file);
      log?.(`features from cache ${file}`);
      return { data, dim };
    }
  }
  const per = images.height * images.width * images.channels;
  const chunks: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < images.count; start += 64) {
    const n = Math.min(64, images.count - start);
    const f = tf.tidy(() => {
      const x = tf.tensor4d(images.pixels.subarray(start * per, (start + n) * per), [n, images.height, images.width, images.channels]);
      return extractor.features(extractor.prepare(x));
    });
    dim = f.shape[1];
    chunks.push((await f.data()) as Float32Array);
    f.dispose();
  }
  const data = new Float32Array(dim * images.count);
  chunks.forEach((c, i) => data.set(c, i * 64 * dim));
  await boundCacheKind('features', join(cacheRoot, 'features'), { incomingBytes: 4 + data.byteLength, keep: file, log });
  await mkdir(join(cacheRoot, 'features'), { recursive: true });
  const header = Buffer.alloc(4);
  header.writeUInt32LE(dim, 0);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, Buffer.concat([header, Buffer.from(data.buffer)]));
  await rename(temp, file);
  log?.(`extracted ${images.count} × ${dim} features into ${file}`);
  return { data, dim };
}
