import type * as tf from '@tensorflow/tfjs';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatasetError } from '../datasets/dataset-error.js';
import { describeCause, downloadToTemp, isRetryable, type DownloadedFile } from './model-download.js';
import { expectedGroupBytes, shardPaths } from './model-manifest.js';

/** A TF.js model to bring into the cache: `model.json` at `url`, its shards beside it. */
export interface ModelSource {
  /** Folder name in the cache (the extractor's name). */
  name: string;
  url: string;
  /** Pinned sha256 (hex) by file path in the model folder; files not listed are checked against the record of their first download. */
  sha256?: Record<string, string>;
}

export interface FetchModelOptions {
  /** The model cache (`resolveModelCacheDir()`); the model lives in `<cacheDir>/<name>/`. */
  cacheDir: string;
  log?: ((line: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** What the cache records beside a model: where it came from and each file's sha256. */
interface ChecksumRecord {
  url: string;
  sha256: Record<string, string>;
}

const RECORD = 'checksums.json';

/**
 * The path of `<cacheDir>/<name>/model.json`, downloaded first when missing or when a cached file no
 * longer matches its sha256. Files go to temporary names and are renamed into place once verified,
 * model.json last, so a crash or a concurrent trial never sees half a model. Fails with a
 * DatasetError naming the URL and the cause (offline, HTTP status, checksum mismatch).
 */
export async function fetchModel(src: ModelSource, o: FetchModelOptions): Promise<{ path: string; sha256: Record<string, string> }> {
  const dir = join(o.cacheDir, src.name);
  const cached = await verifyCached(dir, src, o.log);
  if (cached) return { path: join(dir, 'model.json'), sha256: cached };
  await mkdir(dir, { recursive: true });
  const got = await download(src.url, join(dir, 'model.json'), 'model.json', src, o);
  const temps: DownloadedFile[] = [got];
  try {
    let json: tf.io.ModelJSON;
    try {
      json = JSON.parse(await readFile(got.temp, 'utf8')) as tf.io.ModelJSON;
    } catch {
      throw new DatasetError(src.url, 'is not valid JSON (a TF.js model.json was expected)', 'dataset_corrupt');
    }
    if (!json.modelTopology) throw new DatasetError(src.url, 'has no modelTopology: not a TF.js model.json', 'dataset_corrupt');
    const sha256: Record<string, string> = { 'model.json': got.sha256 };
    const sizes = new Map<string, number>();
    const base = new URL('.', src.url);
    for (const path of shardPaths(json, src.url)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      const shard = await download(new URL(path, base).toString(), join(dir, path), path, src, o);
      temps.push(shard);
      sha256[path] = shard.sha256;
      sizes.set(path, shard.bytes);
    }
    checkShardSizes(json, sizes, src.url);
    for (const [i, path] of shardPaths(json, src.url).entries()) await rename(temps[i + 1]!.temp, join(dir, path));
    await writeAtomically(join(dir, RECORD), JSON.stringify({ url: src.url, sha256 } satisfies ChecksumRecord, null, 1));
    await rename(got.temp, join(dir, 'model.json'));
    o.log?.(`extractor ${src.name}: ${Object.keys(sha256).length} files verified and cached in ${dir}`);
    return { path: join(dir, 'model.json'), sha256 };
  } finally {
    await Promise.all(temps.map((t) => rm(t.temp, { force: true })));
  }
}

/** One file, tried twice on a network failure or a 5xx, checked against its pinned sha256. */
async function download(url: string, dest: string, path: string, src: ModelSource, o: FetchModelOptions): Promise<DownloadedFile> {
  let got: DownloadedFile | undefined;
  for (let attempt = 1; !got; attempt++) {
    try {
      got = await downloadToTemp(url, dest, `${src.name}/${path}`, o.log, o.signal);
    } catch (err) {
      const cause = describeCause(err);
      if (o.signal?.aborted || attempt >= 2 || !isRetryable(err)) {
        throw new DatasetError(url, `cannot download extractor "${src.name}": ${cause}. The worker needs to reach this host; offline, copy the model folder into ${o.cacheDir}/${src.name}/`, 'dataset_missing', isRetryable(err));
      }
      o.log?.(`${url}: ${cause}; trying again`);
    }
  }
  const pinned = src.sha256?.[path];
  if (pinned && pinned !== got.sha256) {
    await rm(got.temp, { force: true });
    throw new DatasetError(url, `checksum mismatch: expected sha256 ${pinned}, got ${got.sha256} (the download was discarded)`, 'dataset_corrupt', true);
  }
  return got;
}

function checkShardSizes(json: tf.io.ModelJSON, sizes: Map<string, number>, url: string): void {
  for (const group of expectedGroupBytes(json)) {
    if (!group) continue;
    const got = group.paths.reduce((sum, p) => sum + (sizes.get(p) ?? 0), 0);
    if (got !== group.bytes) throw new DatasetError(url, `weight shards ${group.paths.join(', ')} hold ${got} bytes, the manifest describes ${group.bytes}`, 'dataset_corrupt', true);
  }
}

/** The cached files' hashes when every file matches the record (and the pins); false otherwise, saying why. */
async function verifyCached(dir: string, src: ModelSource, log?: (line: string) => void): Promise<Record<string, string> | false> {
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

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  await writeFile(temp, text);
  await rename(temp, path);
}
