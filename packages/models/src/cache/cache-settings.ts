import { CacheUsageError } from './cache-usage-error.js';

/** Each kind's bound when `ABLATE_CACHE_MAX_GB` is not set: a few image sizes × extractors of a course fit, a laptop's disk does not fill. */
export const DEFAULT_CACHE_MAX_GB = 10;

/** Decimal gigabytes, as disk tools and `ablate cache list` report them. */
const GB = 1e9;

/**
 * The most bytes one kind may hold: `ABLATE_CACHE_MAX_GB` (a positive number, decimals allowed) in
 * bytes, `Infinity` for `off`, 10 GB when unset. A value that is neither is refused, saying what to write.
 */
export function cacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['ABLATE_CACHE_MAX_GB']?.trim();
  if (!raw) return DEFAULT_CACHE_MAX_GB * GB;
  if (raw.toLowerCase() === 'off') return Infinity;
  const gb = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(gb > 0)) throw new CacheUsageError(`ABLATE_CACHE_MAX_GB=${raw}: write the most gigabytes each cache kind may hold, such as 10 or 0.5, or off for no bound`);
  return Math.round(gb * GB);
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `30d`, `12h`, `90m`, `2w`, `45s` in milliseconds; anything else is refused, saying what to write. */
export function parseAge(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (!m) throw new CacheUsageError(`--older-than ${text}: write a number and a unit, such as 30d, 12h or 90m (units: s, m, h, d, w)`);
  return Number(m[1]) * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS];
}

/** `0 B`, `812 kB`, `35.1 MB`, `1.24 GB`, `10 GB` (decimal units, like `ABLATE_CACHE_MAX_GB`). */
export function formatBytes(bytes: number): string {
  if (bytes === Infinity) return 'no bound';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let n = bytes;
  while (n >= 1000 && i < units.length - 1) [n, i] = [n / 1000, i + 1];
  // three significant digits at most, no trailing zeros: 10 GB, 5 kB, 1.24 GB
  return `${i === 0 ? n : Number(n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0))} ${units[i]}`;
}
