import type * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { boundCacheKind } from '../cache/cache-evict.js';
import { markCacheUse } from '../cache/cache-use.js';
import { DatasetError } from '../datasets/dataset-error.js';
import { describeCause, downloadToTemp, isRetryable, type DownloadedFile } from './model-download.js';
import { RECORD, verifyCached, writeAtomically, type ChecksumRecord } from './cached-model.js';
import { checkShardSizes, shardPaths } from './model-manifest.js';

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

/**
 * The path of `<cacheDir>/<name>/model.json`, downloaded first when missing or when a cached file no
 * longer matches its sha256. Files go to temporary names and are renamed into place once verified,
 * model.json last, so a crash or a concurrent trial never sees half a model; then least recently used
 * models go while the cache is over `ABLATE_CACHE_MAX_GB`. Fails with a
 * DatasetError naming the URL and the cause (offline, HTTP status, checksum mismatch).
 */
export async function fetchModel(src: ModelSource, o: FetchModelOptions): Promise<{ path: string; sha256: Record<string, string> }> {
  const dir = join(o.cacheDir, src.name);
  const cached = await verifyCached(dir, src, o.log);
  if (cached) {
    // The folder's mtime is the model's last use (cache-use.ts).
    await markCacheUse(dir);
    return { path: join(dir, 'model.json'), sha256: cached };
  }
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
    // The size is known once downloaded: other models, least recently used first, make room for this one.
    await boundCacheKind('models', o.cacheDir, { incomingBytes: temps.reduce((n, t) => n + t.bytes, 0), keep: dir, log: o.log });
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
