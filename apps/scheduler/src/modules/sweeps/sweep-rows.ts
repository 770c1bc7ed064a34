import { TrialStatus, type SweepStatus } from '@ablate/contracts';
import { SqlParams } from '../../database/transaction.js';

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

/**
 * The head's columns, for `FROM sweeps <alias> JOIN projects p ON p.id = <alias>.project_id` (or an
 * UPDATE ... FROM projects p), each named `<prefix><column>` so a head can sit beside a trial row.
 */
export function sweepHeadColumns(alias = 's', prefix = ''): string {
  const cols = [
    'id',
    'name',
    'template',
    'metric_name',
    'metric_goal',
    'max_retries',
    'status',
    'trial_count',
    'created_at',
    'updated_at',
    'finished_at',
  ];
  return [
    ...cols.map((c) => `${alias}.${c} AS ${prefix}${c}`),
    `p.slug AS ${prefix}project_slug`,
    ...STATUSES.map((st) => `${alias}.${st}_count AS ${prefix}${st}_count`),
  ].join(', ');
}

export const SWEEP_HEAD_COLUMNS = sweepHeadColumns();

export function toSweepHead(row: Record<string, unknown>, prefix = ''): SweepHead {
  const col = (c: string) => row[`${prefix}${c}`];
  return {
    id: col('id') as string,
    projectSlug: col('project_slug') as string,
    name: col('name') as string,
    template: col('template') as string,
    metricName: col('metric_name') as string,
    metricGoal: col('metric_goal') as 'minimize' | 'maximize',
    maxRetries: col('max_retries') as number,
    status: col('status') as SweepStatus,
    trialCount: col('trial_count') as number,
    createdAt: col('created_at') as Date,
    updatedAt: col('updated_at') as Date,
    finishedAt: (col('finished_at') as Date | null) ?? null,
    counts: Object.fromEntries(STATUSES.map((st) => [st, Number(col(`${st}_count`))])) as Record<
      TrialStatus,
      number
    >,
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
 * SET list of an UPDATE of `sweeps <alias>` that applies count moves and settles the status:
 * running while a trial is open, completed once none is; completed and cancelled stay. The moves
 * are integers we computed, written inline.
 */
export function countsSetClause(alias: string, moves: CountMoves, nowParam: string): string {
  const delta = (st: TrialStatus) => Math.trunc(moves[st] ?? 0);
  const open = (['queued', 'leased', 'running'] as const)
    .map((st) => `${alias}.${st}_count + ${delta(st)}`)
    .join(' + ');
  const final = `${alias}.status IN ('completed', 'cancelled')`;
  return [
    ...STATUSES.map((st) => `${st}_count = ${alias}.${st}_count + ${delta(st)}`),
    `status = CASE WHEN ${final} THEN ${alias}.status WHEN ${open} = 0 THEN 'completed' ELSE 'running' END`,
    `finished_at = CASE WHEN ${final} THEN ${alias}.finished_at WHEN ${open} = 0 THEN ${nowParam} ELSE NULL END`,
    `updated_at = ${nowParam}`,
  ].join(', ');
}

/** One statement that applies count moves to a sweep the caller has locked and returns the new head. */
export function shiftCountsStatement(
  sweepId: string,
  moves: CountMoves,
  now: Date,
): { text: string; values: unknown[] } {
  const p = new SqlParams();
  const id = p.add(sweepId, 'uuid');
  const text = `UPDATE sweeps s SET ${countsSetClause('s', moves, p.add(now, 'timestamptz'))} FROM projects p WHERE s.id = ${id} AND p.id = s.project_id RETURNING ${SWEEP_HEAD_COLUMNS}`;
  return { text, values: p.values };
}
