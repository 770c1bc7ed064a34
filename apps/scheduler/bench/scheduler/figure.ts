import { ApiClient, type SweepSpecInput, type SweepSummary } from '@ablate/contracts';
import type { SchedulerProcess } from './scheduler-process.js';

/** One row of the table: what was measured, against the anchor and goal. */
export interface Figure {
  /** What the figure measures, as the table names it. */
  name: string;
  /** The measured value, printed. */
  measured: string;
  /** What others measure (issue 8 §4). */
  anchor: string;
  /** The goal. */
  goal: string;
  /** Whether the goal was met. */
  met: boolean;
  /** How it was measured and what else was seen, printed under the table. */
  details: string[];
}

/** What every figure gets: the running scheduler and a user client. */
export interface BenchContext {
  scheduler: SchedulerProcess;
  user: ApiClient;
}

/** A grid sweep of `trials` trials of mnist-cnn (one per seed), ranked by val_acc: trials with nothing to search. */
export function gridSpec(name: string, trials: number): SweepSpecInput {
  return {
    name,
    template: 'mnist-cnn',
    parameters: { seed: { values: Array.from({ length: trials }, (_, k) => k) } },
    metric: { name: 'val_acc', goal: 'maximize' },
  };
}

/** Metrics in the template's ranges that differ by trial and step (a seed-like value from the params). */
export function classificationMetrics(params: Record<string, unknown>, step: number): Record<string, number> {
  const seed = typeof params.seed === 'number' ? params.seed : 0;
  const acc = ((seed * 7919 + step * 104_729) % 1000) / 1000;
  return { val_acc: acc, loss: Math.round((1 - acc) * 3000) / 1000 };
}

/** The sweep as the scheduler sees it now (status and counts), with its best trial. */
export async function sweepNow(
  user: ApiClient,
  id: string,
): Promise<{ sweep: SweepSummary; best: number | null }> {
  const detail = await user.getSweep(id, { top: 1 });
  return { sweep: detail.sweep, best: detail.trials[0]?.score ?? null };
}

export { percentile } from '../load/report-table.js';

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
