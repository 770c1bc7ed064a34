import type { RankedTrial } from '@ablate/contracts';
import { textTable } from './text-table.js';

/** The leaderboard as a text table: rank, the params that vary, status, epoch and the ranking metric. */
export function formatTable(trials: RankedTrial[], metric: string): string {
  const varying = Object.keys(trials[0]?.params ?? {}).filter(
    (k) => new Set(trials.map((t) => JSON.stringify(t.params[k]))).size > 1,
  );
  const header = ['rank', ...varying, 'status', 'epoch', metric];
  const rows = trials.map((t) => [
    t.rank === null ? '-' : String(t.rank),
    ...varying.map((k) => JSON.stringify(t.params[k])),
    t.status,
    t.step === null ? '-' : String(t.step),
    t.score === null ? '-' : t.score.toFixed(4),
  ]);
  return textTable(header, rows);
}
