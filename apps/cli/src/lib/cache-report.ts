import { formatBytes, type CacheEntry, type CacheKindReport } from '@ablate/models/cache';
import { textTable } from './text-table.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `just now`, `25 minutes ago`, `5 hours ago`, `41 days ago`. */
export function formatAgo(ms: number, nowMs: number): string {
  const ago = Math.max(0, nowMs - ms);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return plural(Math.floor(ago / MINUTE), 'minute');
  if (ago < 2 * DAY) return plural(Math.floor(ago / HOUR), 'hour');
  return plural(Math.floor(ago / DAY), 'day');
}

/** `ablate cache list`: one row per kind (entries, size, least recent use) and a total. */
export function cacheTable(kinds: CacheKindReport[], nowMs: number): string {
  const oldest = (ms: number | null) => (ms === null ? '-' : `${formatAgo(ms, nowMs)} (${new Date(ms).toISOString().slice(0, 10)})`);
  const rows = kinds.map((k) => [k.kind, String(k.entries.length), formatBytes(k.bytes), oldest(k.oldestLastUseMs), k.dir]);
  const all = kinds.flatMap((k) => (k.oldestLastUseMs === null ? [] : [k.oldestLastUseMs]));
  rows.push(['total', String(kinds.reduce((n, k) => n + k.entries.length, 0)), formatBytes(kinds.reduce((n, k) => n + k.bytes, 0)), oldest(all.length ? Math.min(...all) : null), '']);
  return textTable(['KIND', 'ENTRIES', 'SIZE', 'OLDEST LAST USE', 'FOLDER'], rows);
}

/** `ablate cache list --json`: the same per kind, with every entry (least recently used first). */
export function cacheJson(root: string, maxBytes: number, kinds: CacheKindReport[]): unknown {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    root,
    maxBytesPerKind: maxBytes === Infinity ? null : maxBytes,
    kinds: kinds.map((k) => ({
      kind: k.kind,
      dir: k.dir,
      entries: k.entries.length,
      bytes: k.bytes,
      oldestLastUse: iso(k.oldestLastUseMs),
      items: k.entries.map((e) => ({ name: e.name, path: e.path, bytes: e.bytes, lastUse: iso(e.lastUsedMs), writing: e.busy })),
    })),
  };
}

/** `decoded/3f2a….rgb  768 B  last used 41 days ago`. */
export function describeEntry(e: CacheEntry, nowMs: number): string {
  return `${e.kind}/${e.name}  ${formatBytes(e.bytes)}  last used ${formatAgo(e.lastUsedMs, nowMs)}`;
}

/** `3 entries (1.24 GB)`. */
export function describeCount(entries: readonly CacheEntry[]): string {
  return `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (${formatBytes(entries.reduce((n, e) => n + e.bytes, 0))})`;
}
