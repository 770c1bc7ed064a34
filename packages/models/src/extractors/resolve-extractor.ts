import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { looksLikeExtractorName, unknownExtractorMessage, type ExtractorName, type TransferParams } from '@ablate/contracts';
import { resolveModelCacheDir } from '../datasets/cache-dir.js';
import { DatasetError } from '../datasets/dataset-error.js';
import { localModelPath } from '../templates/model-files.js';
import { EXTRACTORS } from './extractor-registry.js';
import { fetchModel } from './fetch-model.js';

type InputRange = NonNullable<TransferParams['inputRange']>;

/** Where an extractor's model.json is on this worker, and how to use it. */
export interface ResolvedExtractor {
  /** A local `model.json` path. */
  path: string;
  format: 'layers' | 'graph';
  featureLayer: string | undefined;
  pooling: 'avg' | 'none';
  inputRange: InputRange;
  /** Side asked for in the params; undefined: the model's own. */
  inputSize: number | undefined;
  /** Changes whenever the model's files do: part of the feature cache key. */
  stamp: string;
}

export interface ResolveExtractorOptions {
  /** Model cache; default `resolveModelCacheDir()`. */
  cacheDir?: string | undefined;
  log?: ((line: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

type Params = Pick<TransferParams, 'extractor' | 'extractorFormat' | 'featureLayer' | 'inputSize' | 'inputRange'>;

/**
 * A known name is downloaded (first use), verified and cached; an http(s) URL likewise, under a
 * folder named by the URL's hash; a local path is used where it is. A name's own layer, pooling and
 * scaling apply unless the params set them.
 */
export async function resolveExtractor(p: Params, o: ResolveExtractorOptions = {}): Promise<ResolvedExtractor> {
  const cacheDir = o.cacheDir ?? resolveModelCacheDir();
  const fetchOptions = { cacheDir, log: o.log, signal: o.signal };
  if (looksLikeExtractorName(p.extractor)) {
    const unknown = unknownExtractorMessage(p.extractor);
    if (unknown) throw new DatasetError('extractor', unknown, 'invalid_params');
    const entry = EXTRACTORS[p.extractor as ExtractorName];
    const got = await fetchModel({ name: p.extractor, url: entry.url, sha256: entry.sha256 }, fetchOptions);
    return {
      path: got.path, format: entry.format, featureLayer: p.featureLayer ?? entry.featureLayer, pooling: entry.pooling,
      inputRange: p.inputRange ?? entry.inputRange, inputSize: p.inputSize, stamp: `sha256:${got.sha256['model.json']}`,
    };
  }
  const common = { format: p.extractorFormat, featureLayer: p.featureLayer, pooling: 'none' as const, inputRange: p.inputRange ?? '0-1', inputSize: p.inputSize };
  const local = localModelPath(p.extractor);
  if (local) {
    const s = await stat(local).catch(() => null);
    return { ...common, path: local, stamp: s ? `${s.size}:${s.mtimeMs}` : 'missing' };
  }
  const name = `url-${createHash('sha256').update(p.extractor).digest('hex').slice(0, 16)}`;
  const got = await fetchModel({ name, url: p.extractor }, fetchOptions);
  return { ...common, path: got.path, stamp: `sha256:${got.sha256['model.json']}` };
}
