import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { listCacheEntries, type CacheEntry } from './cache-entries.js';
import type { CacheKind } from './cache-kinds.js';
import { cacheMaxBytes, formatBytes } from './cache-settings.js';

/** What became of an entry asked to go: removed here, already removed by another process, or kept (held open on Windows, no permission). */
export type RemoveOutcome = 'removed' | 'gone' | 'kept';

/**
 * Removes one entry. A file is
 * unlinked in one step: a reader that opened it keeps reading the whole file, one that comes later
 * finds nothing and recomputes. A model folder is first renamed to a dot name (which listings skip)
 * and then deleted, so no reader ever sees half a model: the folder is there whole or not at all.
 */
export async function removeCacheEntry(entry: CacheEntry): Promise<RemoveOutcome> {
  try {
    if (entry.kind !== 'models') {
      await rm(entry.path);
      return 'removed';
    }
    const doomed = join(entry.path, '..', `.${entry.name}.removing-${process.pid}-${randomBytes(4).toString('hex')}`);
    await rename(entry.path, doomed);
    await rm(doomed, { recursive: true, force: true });
    return 'removed';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'kept';
  }
}

export interface BoundOptions {
  /** Bytes of the entry being written (a model folder: its files, already in place). */
  incomingBytes: number;
  /** The entry being written: never removed, and not counted (it is replaced by `incomingBytes`). */
  keep: string;
  /** Default `cacheMaxBytes()` (`ABLATE_CACHE_MAX_GB`). */
  maxBytes?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

/**
 * The size bound, applied when an entry of `kind` is written to `dir`: while the kind's entries plus
 * the incoming bytes exceed the bound, the least recently used entry is removed. Only this kind's
 * entries; never the one being written nor a model folder that a download is writing. An entry
 * larger than the bound by itself is still written (everything else of its kind goes first).
 * Returns the removed entries.
 */
export async function boundCacheKind(kind: CacheKind, dir: string, o: BoundOptions): Promise<CacheEntry[]> {
  const max = o.maxBytes ?? cacheMaxBytes();
  if (max === Infinity) return [];
  const entries = (await listCacheEntries(kind, dir)).filter((e) => e.path !== o.keep);
  let total = o.incomingBytes + entries.reduce((n, e) => n + e.bytes, 0);
  const removed: CacheEntry[] = [];
  for (const e of entries.filter((x) => !x.busy).sort((a, b) => a.lastUsedMs - b.lastUsedMs)) {
    if (total <= max) break;
    const outcome = await removeCacheEntry(e);
    if (outcome === 'removed') removed.push(e);
    // An entry another process removed meanwhile frees its bytes all the same; a kept one does not.
    if (outcome !== 'kept') total -= e.bytes;
  }
  if (removed.length > 0) {
    const freed = removed.reduce((n, e) => n + e.bytes, 0);
    o.log?.(`cache: removed the ${removed.length} least recently used ${kind} entries (${formatBytes(freed)}) to stay under ${formatBytes(max)} (ABLATE_CACHE_MAX_GB)`);
  }
  return removed;
}
