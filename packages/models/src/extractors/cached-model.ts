import type * as tf from '@tensorflow/tfjs';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../datasets/dataset-error.js';
import type { ModelSource } from './fetch-model.js';
import { checkShardSizes, shardPaths } from './model-manifest.js';

/** What the cache records beside a model: where it came from and each file's sha256. */
export interface ChecksumRecord {
  url: string;
  sha256: Record<string, string>;
}

/** The record's file name in a model's cache folder. */
export const RECORD = 'checksums.json';

/** The cached files' hashes when every file matches the record (and the pins); false otherwise, saying why. */
export async function verifyCached(dir: string, src: ModelSource, log?: (line: string) => void): Promise<Record<string, string> | false> {
  const hasModel = await stat(join(dir, 'model.json')).then(() => true, () => false);
  const record = await readFile(join(dir, RECORD), 'utf8').then((t) => JSON.parse(t) as ChecksumRecord, () => null);
  if (hasModel && !record) return adoptCopy(dir, src, log);
  if (!record || record.url !== src.url || !hasModel) return false;
  for (const [path, recorded] of Object.entries(record.sha256)) {
    const expected = src.sha256?.[path] ?? recorded;
    const actual = await sha256Of(join(dir, path)).catch(() => 'missing');
    if (actual !== expected) {
      log?.(`extractor ${src.name}: cached ${path} is ${actual === 'missing' ? 'missing' : `corrupt (sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…)`}; fetching the model again`);
      return false;
    }
  }
  return record.sha256;
}

/**
 * A model folder put into the cache by hand (an offline worker): its shard sizes are checked against
 * the manifest and its hashes recorded, so later uses verify it like a download.
 */
async function adoptCopy(dir: string, src: ModelSource, log?: (line: string) => void): Promise<Record<string, string> | false> {
  const where = join(dir, 'model.json');
  const json = await readFile(where, 'utf8').then((t) => JSON.parse(t) as tf.io.ModelJSON, () => null);
  if (!json?.modelTopology) throw new DatasetError(where, 'is not a TF.js model.json; remove it to download the model again', 'dataset_corrupt');
  const sha256: Record<string, string> = { 'model.json': await sha256Of(where) };
  const sizes = new Map<string, number>();
  for (const path of shardPaths(json, where)) {
    const file = join(dir, path);
    const size = await stat(file).then((s) => s.size, () => {
      throw new DatasetError(file, 'weights file listed in model.json not found; remove the folder to download the model again', 'dataset_missing');
    });
    sizes.set(path, size);
    sha256[path] = await sha256Of(file);
  }
  checkShardSizes(json, sizes, where);
  for (const [path, pinned] of Object.entries(src.sha256 ?? {})) {
    if (sha256[path] !== pinned) throw new DatasetError(join(dir, path), `does not match the pinned sha256 ${pinned}; remove the folder to download the model again`, 'dataset_corrupt');
  }
  await writeAtomically(join(dir, RECORD), JSON.stringify({ url: src.url, sha256 } satisfies ChecksumRecord, null, 1));
  log?.(`extractor ${src.name}: using the copy in ${dir} (checksums recorded now)`);
  return sha256;
}

/** sha256 (hex) of a file, streamed. */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  await writeFile(temp, text);
  await rename(temp, path);
}
