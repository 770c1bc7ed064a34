// Fixed locale and time zone: the server and the browser must render the same text (hydration).
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });

/** `04:10:07 UTC`, for events a few seconds apart. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${timeFormat.format(date)} UTC`;
}

/** `27 Nov 2026, 04:10 UTC` */
export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateFormat.format(date)} UTC`;
}

/** A metric value with 4 significant digits; integers stay as they are. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toPrecision(4);
}

/**
 * A spread (a standard deviation) at the decimals its value is shown with: `0.5100 ± 0.0141`, not
 * `± 0.01414`, which claims a digit the mean does not have.
 */
export function formatSpread(spread: number | null | undefined, value: number | null | undefined): string {
  if (spread === null || spread === undefined) return '—';
  const shown = formatMetric(value);
  const decimals = /^-?\d+\.(\d+)$/.exec(shown)?.[1]?.length;
  return decimals === undefined ? formatMetric(spread) : spread.toFixed(decimals);
}

/** A template param as a cell shows it. */
export function formatParam(value: unknown): string {
  if (value === undefined || value === null) return '—';
  // Sampled values (random, TPE) carry 17 digits; 4 significant ones tell them apart in a table.
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
