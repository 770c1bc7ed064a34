import { resolveCacheRoot } from '../datasets/cache-dir.js';
import { listCacheEntries, type CacheEntry } from './cache-entries.js';
import { removeCacheEntry } from './cache-evict.js';
import { CACHE_KINDS, cacheKindDir, type CacheKind } from './cache-kinds.js';

/** One kind's entries, as `ablate cache list` shows them. */
export interface CacheKindReport {
  kind: CacheKind;
  dir: string;
  /** Least recently used first. */
  entries: CacheEntry[];
  bytes: number;
  /** The least recent last use, ms since the epoch; null without entries. */
  oldestLastUseMs: number | null;
}

/** Every kind's entries under the cache folders `env` names. */
export async function scanCache(env: NodeJS.ProcessEnv = process.env): Promise<{ root: string; kinds: CacheKindReport[] }> {
  const kinds = await Promise.all(
    CACHE_KINDS.map(async (kind): Promise<CacheKindReport> => {
      const dir = cacheKindDir(kind, env);
      const entries = (await listCacheEntries(kind, dir)).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
      return { kind, dir, entries, bytes: entries.reduce((n, e) => n + e.bytes, 0), oldestLastUseMs: entries[0]?.lastUsedMs ?? null };
    }),
  );
  return { root: resolveCacheRoot(env), kinds };
}

/** Which entries `ablate cache clear` removes: of the given kinds (all when none), unused for longer than `olderThanMs` (any when undefined). */
export interface ClearFilter {
  kinds?: readonly CacheKind[] | undefined;
  olderThanMs?: number | undefined;
  nowMs?: number | undefined;
}

/** The entries a clear with `filter` would remove; a model folder a download is writing is never among them. */
export async function selectCacheEntries(filter: ClearFilter, env: NodeJS.ProcessEnv = process.env): Promise<CacheEntry[]> {
  const now = filter.nowMs ?? Date.now();
  const { kinds } = await scanCache(env);
  return kinds
    .filter((k) => !filter.kinds?.length || filter.kinds.includes(k.kind))
    .flatMap((k) => k.entries)
    .filter((e) => !e.busy && (filter.olderThanMs === undefined || now - e.lastUsedMs > filter.olderThanMs));
}

/** Removes the entries; those that could not be removed (held open, no permission) are returned as kept. */
export async function removeCacheEntries(entries: readonly CacheEntry[]): Promise<{ removed: CacheEntry[]; kept: CacheEntry[] }> {
  const removed: CacheEntry[] = [];
  const kept: CacheEntry[] = [];
  for (const e of entries) {
    const outcome = await removeCacheEntry(e);
    if (outcome === 'removed') removed.push(e);
    else if (outcome === 'kept') kept.push(e);
  }
  return { removed, kept };
}
