import { fileURLToPath } from 'node:url';
import { looksLikeExtractorName } from '@ablate/contracts';
import { confineDataPath } from './data-roots.js';
import { DatasetError } from './dataset-error.js';

/**
 * Template params that name a file or folder on the worker. A template that adds such a param must
 * list it here, or a sweep could point it anywhere on the worker's disk.
 */
export const PATH_PARAMS = ['imageFolder', 'csvPath', 'extractor'] as const;

/**
 * `params` with every path param replaced by its real path inside the data roots (see
 * `confineDataPath`); `http(s)://` model URLs and extractor names (`mobilenet_v2`) are left as they are. Throws a DatasetError (not
 * retryable) for a path outside the roots.
 */
export async function confinePathParams<P extends object>(params: P, roots: readonly string[]): Promise<P> {
  const out = { ...params } as Record<string, unknown>;
  for (const key of PATH_PARAMS) {
    const value = out[key];
    if (typeof value !== 'string' || /^https?:\/\//i.test(value)) continue;
    if (key === 'extractor' && looksLikeExtractorName(value)) continue;
    out[key] = await confineDataPath(key, fileUrlToPath(key, value), roots);
  }
  return out as P;
}

function fileUrlToPath(param: string, value: string): string {
  if (!/^file:/i.test(value)) return value;
  try {
    return fileURLToPath(value);
  } catch (err) {
    throw new DatasetError(param, `${JSON.stringify(value)} is not a usable file:// URL (${(err as Error).message})`, 'invalid_params');
  }
}
