import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { boundCacheKind } from '../cache/cache-evict.js';
import { markCacheUse } from '../cache/cache-use.js';
import type { ImageFile } from './image-folder-layout.js';

/**
 * Decoded, resized images on disk, so the trials of a sweep decode an image folder once: one file
 * of `count × size × size × 3` bytes per (file list, size), under `<cacheDir>/<key>.rgb`. The key
 * covers each file's path, byte size and modification time, so an edited, added or removed image
 * makes a new entry.
 */
export function decodeCacheKey(files: readonly ImageFile[], size: number): string {
  const hash = createHash('sha256').update(`v1:${size}\n`);
  for (const f of files) hash.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return hash.digest('hex').slice(0, 40);
}

/**
 * The cached pixels for `key`, or null when there are none (never written, or evicted by the size
 * bound: the caller decodes again) or their length is not `bytes` (a torn or foreign file). A hit
 * records the use (cache-use.ts), so the bound evicts entries no trial reads any more.
 */
export async function readDecodeCache(cacheDir: string, key: string, bytes: number): Promise<Uint8Array | null> {
  const file = join(cacheDir, `${key}.rgb`);
  const data = await readFile(file).catch(() => null);
  if (!data || data.byteLength !== bytes) return null;
  await markCacheUse(file);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Makes room under `ABLATE_CACHE_MAX_GB` (least recently used decoded entries go first), then writes
 * under a temporary name and renames, so a concurrent trial reads a whole entry or none.
 */
export async function writeDecodeCache(cacheDir: string, key: string, pixels: Uint8Array, log?: (line: string) => void): Promise<void> {
  const file = join(cacheDir, `${key}.rgb`);
  await boundCacheKind('decoded', cacheDir, { incomingBytes: pixels.byteLength, keep: file, log });
  await mkdir(cacheDir, { recursive: true });
  const temp = join(cacheDir, `${key}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  await writeFile(temp, pixels);
  await rename(temp, file);
}
