import { TrialStatus, type SweepStatus } from '@ablate/contracts';

/**
 * A sweep row without its spec: what the hot paths (reports, leases, pushes) read and return. The
 * spec of a large grid is a big jsonb value; reading it on every status change would cost more
 * than the change itself.
 */
export interface SweepHead {
  id: string;
  projectSlug: string;
  name: string;
  template: string;
  metricName: string;
  metricGoal: 'minimize' | 'maximize';
  maxRetries: number;
  status: SweepStatus;
  trialCount: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** Trials in each status, kept by every transaction that changes a trial's status. */
  counts: Record<TrialStatus, number>;
}

/** Net change of the per-status counts, e.g. `{ queued: -1, leased: 1 }` for a lease. */
export type CountMoves = Partial<Record<TrialStatus, number>>;

const STATUSES = TrialStatus.options;

/** The head's columns, for `FROM sweeps s JOIN projects p ON p.id = s.project_id` (or an UPDATE ... FROM projects p). */
export const SWEEP_HEAD_COLUMNS = [
  's.id',
  'p.slug AS project_slug',
  's.name',
  's.template',
  's.metric_name',
  's.metric_goal',
  's.max_retries',
  's.status',
  's.trial_count',
  's.created_at',
  's.updated_at',
  's.finished_at',
  ...STATUSES.map((st) => `s.${st}_count`),
].join(', ');

export function toSweepHead(row: Record<string, unknown>): SweepHead {
  return {
    id: row.id as string,
    projectSlug: row.project_slug as string,
    name: row.name as string,
    template: row.template as string,
    metricName: row.metric_name as string,
    metricGoal: row.metric_goal as 'minimize' | 'maximize',
    maxRetries: row.max_retries as number,
    status: row.status as SweepStatus,
    trialCount: row.trial_count as number,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    finishedAt: (row.finished_at as Date | null) ?? null,
    counts: Object.fromEntries(STATUSES.map((st) => [st, Number(row[`${st}_count`])])) as Record<TrialStatus, number>,
  };
}

/** Count moves of trials that went from one status to another. */
export function countMoves(changes: Iterable<{ from: TrialStatus; to: TrialStatus }>): CountMoves {
  const moves: CountMoves = {};
  for (const { from, to } of changes) {
    if (from === to) continue;
    moves[from] = (moves[from] ?? 0) - 1;
    moves[to] = (moves[to] ?? 0) + 1;
  }
  return moves;
}

/**
 * One statement that applies count moves to a sweep the caller has locked, settles its status
 * (running while a trial is open, completed once none is; completed and cancelled stay) and
 * returns the new head. `$1` sweep id, `$2` now, then one delta per status.
 */
export function shiftCountsStatement(sweepId: string, moves: CountMoves, now: Date): { text: string; values: unknown[] } {
  const delta = (st: TrialStatus) => `$${3 + STATUSES.indexOf(st)}::int`;
  const open = (['queued', 'leased', 'running'] as const).map((st) => `s.${st}_count + ${delta(st)}`).join(' + ');
  const final = `s.status IN ('completed', 'cancelled')`;
  const text = `
    UPDATE sweeps s SET
      ${STATUSES.map((st) => `${st}_count = s.${st}_count + ${delta(st)}`).join(', ')},
      status = CASE WHEN ${final} THEN s.status WHEN ${open} = 0 THEN 'completed' ELSE 'running' END,
      finished_at = CASE WHEN ${final} THEN s.finished_at WHEN ${open} = 0 THEN $2::timestamptz ELSE NULL END,
      updated_at = $2::timestamptz
    FROM projects p
    WHERE s.id = $1 AND p.id = s.project_id
    RETURNING ${SWEEP_HEAD_COLUMNS}`;
  return { text, values: [sweepId, now, ...STATUSES.map((st) => moves[st] ?? 0)] };
}
