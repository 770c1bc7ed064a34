import type { SweepArchive } from './sweep-archive.schema.js';
import type { ConfigurationRow, SweepSummary } from './sweep.schema.js';
import type { RankedTrial } from './trial.schema.js';

/** A sweep's leaderboard with every trial's metric curves: `ablate sweep export --format json` and `GET /api/sweeps/:id/download?format=json`. */
export interface LeaderboardExport {
  /** What the file is. */
  format: 'ablate-leaderboard';
  /** The sweep as the scheduler summarises it. */
  sweep: SweepSummary;
  /** Every trial, best first, with its curves: metric name → [step, value] pairs. */
  trials: (RankedTrial & { series: Record<string, [number, number][]> })[];
  /** Configurations ranked by the mean over their repeat seeds (one per trial without repeats). */
  configurations: ConfigurationRow[];
}

/** The JSON export: leaderboard rows joined with the archive's points (by trial index). */
export function leaderboardExport(
  sweep: SweepSummary,
  trials: RankedTrial[],
  configurations: ConfigurationRow[],
  archive: SweepArchive,
): LeaderboardExport {
  const points = new Map(archive.trials.map((t) => [t.index, t.points]));
  return {
    format: 'ablate-leaderboard',
    sweep,
    trials: trials.map((t) => {
      const series: Record<string, [number, number][]> = {};
      for (const [step, name, value] of points.get(t.index) ?? []) (series[name] ??= []).push([step, value]);
      return { ...t, series };
    }),
    configurations,
  };
}

/** The CSV of trial rows: rank, index, id, status, step, score, then one column per param and per metric. */
export function trialsCsv(trials: RankedTrial[], metric: string): string {
  const params = columnsOf(trials.map((t) => t.params));
  const metrics = columnsOf(
    trials.map((t) => t.metrics),
    metric,
  );
  // A metric named like a param (rare) keeps both columns apart.
  const metricHeaders = metrics.map((m) => (params.includes(m) ? `metric.${m}` : m));
  const header = [
    'rank',
    'index',
    'id',
    'status',
    'step',
    `score (${metric})`,
    ...params,
    ...metricHeaders,
    'status reason',
  ];
  const rows = trials.map((t) => [
    t.rank,
    t.index,
    t.id,
    t.status,
    t.step,
    t.score,
    ...params.map((p) => t.params[p]),
    ...metrics.map((m) => t.metrics[m]),
    t.statusReason,
  ]);
  return toCsv(header, rows);
}

/** The CSV of configuration rows: rank, mean, std, n, runs, then one column per param. */
export function configurationsCsv(rows: ConfigurationRow[], metric: string): string {
  const params = columnsOf(rows.map((r) => r.params));
  const header = ['rank', `mean (${metric})`, 'std', 'n', 'runs', ...params, 'trial ids'];
  return toCsv(
    header,
    rows.map((r) => [
      r.rank,
      r.mean,
      r.std,
      r.n,
      r.trialIds.length,
      ...params.map((p) => r.params[p]),
      r.trialIds.join(' '),
    ]),
  );
}

/**
 * Every stored metric point in long format, one row each: `trial_id,index,step,metric,value`, by
 * trial index, then step, then metric name (the archive's order). Long, not wide: trials report
 * different metrics and epochs, and a notebook pivots it in one call (`df.pivot_table`).
 */
export function seriesCsv(trials: RankedTrial[], archive: SweepArchive): string {
  const ids = new Map(trials.map((t) => [t.index, t.id]));
  const rows: unknown[][] = [];
  for (const trial of [...archive.trials].sort((a, b) => a.index - b.index)) {
    for (const [step, name, value] of trial.points) rows.push([ids.get(trial.index), trial.index, step, name, value]);
  }
  return toCsv(['trial_id', 'index', 'step', 'metric', 'value'], rows);
}

/**
 * Every key of the records: `first` if present, then the keys whose values differ between rows
 * (what the sweep varies), then the rest, each group alphabetical. Stored params come back in
 * jsonb's key order, which says nothing about the spec.
 */
function columnsOf(records: Record<string, unknown>[], first?: string): string[] {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))].sort();
  const varies = (k: string) => new Set(records.map((r) => JSON.stringify(r[k]))).size > 1;
  const rank = (k: string) => (k === first ? 0 : varies(k) ? 1 : 2);
  return keys.sort((a, b) => rank(a) - rank(b));
}

function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * One RFC 4180 cell. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets
 * a leading `'`: params and reasons are user text, and a CSV is opened by double-clicking it.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
