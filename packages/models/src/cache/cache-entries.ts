import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheKind } from './cache-kinds.js';

/** One removable thing in the cache: a model folder, a decoded image file, a features file. */
export interface CacheEntry {
  kind: CacheKind;
  /** File or folder name inside the kind's folder. */
  name: string;
  path: string;
  /** Bytes on disk (a model folder: all its files). */
  bytes: number;
  /** Last read or write (the entry's mtime, see cache-use.ts), ms since the epoch. */
  lastUsedMs: number;
  /** A model folder with a download in progress (a fresh `.part` file): never removed. */
  busy: boolean;
}

/** The file ending of a finished entry; temporary `.part` / `.tmp` files of a write in progress are not entries. */
const ENTRY_SUFFIX: Partial<Record<CacheKind, string>> = { decoded: '.rgb', features: '.bin' };

/** A `.part` file touched this recently belongs to a download in progress (writes touch it continually); an older one was left by a crash. */
const WRITING_WITHIN_MS = 10 * 60_000;

/** The entries of `kind` in `dir` (missing folder: none), in no particular order. */
export async function listCacheEntries(kind: CacheKind, dir: string, nowMs = Date.now()): Promise<CacheEntry[]> {
  const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const entries: CacheEntry[] = [];
  for (const d of names) {
    // Dot names are folders being removed (see removeCacheEntry); they are not entries any more.
    if (d.name.startsWith('.')) continue;
    const path = join(dir, d.name);
    const suffix = ENTRY_SUFFIX[kind];
    const isEntry = suffix ? d.isFile() && d.name.endsWith(suffix) : d.isDirectory();
    if (!isEntry) continue;
    const s = await stat(path).catch(() => null);
    // Removed by another process between readdir and stat.
    if (!s) continue;
    if (suffix) {
      entries.push({ kind, name: d.name, path, bytes: s.size, lastUsedMs: s.mtimeMs, busy: false });
    } else {
      const tree = await folderTree(path, nowMs);
      // Only a folder holding a model.json (or one being downloaded): ABLATE_MODEL_CACHE may point at a folder that holds other things too.
      if (tree.model) entries.push({ kind, name: d.name, path, bytes: tree.bytes, lastUsedMs: s.mtimeMs, busy: tree.writing });
    }
  }
  return entries;
}

/** A folder's total size, whether a download is writing into it, and whether it holds a model at all. */
async function folderTree(dir: string, nowMs: number): Promise<{ bytes: number; writing: boolean; model: boolean }> {
  let [bytes, writing, model] = [0, false, false];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!d.isFile()) continue;
    const s = await stat(join(d.parentPath, d.name)).catch(() => null);
    if (!s) continue;
    bytes += s.size;
    if (d.name.endsWith('.part') && nowMs - s.mtimeMs < WRITING_WITHIN_MS) writing = true;
    if (d.parentPath === dir && d.name.startsWith('model.json')) model = true;
  }
  return { bytes, writing, model };
}
