import { join } from 'node:path';
import { resolveCacheRoot, resolveModelCacheDir } from '../datasets/cache-dir.js';
import { CacheUsageError } from './cache-usage-error.js';

/** What the cache holds, one folder each: downloaded extractors, decoded image folders, extracted features. */
export const CACHE_KINDS = ['models', 'decoded', 'features'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

/** The folder a kind lives in: `resolveModelCacheDir()`, `<cache root>/decoded`, `<cache root>/features`. */
export function cacheKindDir(kind: CacheKind, env: NodeJS.ProcessEnv = process.env): string {
  return kind === 'models' ? resolveModelCacheDir(env) : join(resolveCacheRoot(env), kind);
}

/** `--kind` as written by a user; anything else is refused naming the kinds there are. */
export function parseCacheKind(text: string): CacheKind {
  const kind = CACHE_KINDS.find((k) => k === text.trim().toLowerCase());
  if (!kind) throw new CacheUsageError(`unknown cache kind "${text}": write one of ${CACHE_KINDS.join(', ')}`);
  return kind;
}
