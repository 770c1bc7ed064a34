import { TrialStatus, type PrunerSpec, type SearchMethod, type SweepStatus } from '@ablate/contracts';
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
  /** Why it is paused, stopping, failed or cancelled; null otherwise. */
  reason: string | null;
  /** Actor of its `created` event. */
  launchedBy: string | null;
  /** Search method (TPE proposes as trials finish; grid and random at creation and when the budget grows). */
  method: SearchMethod;
  /** The trial budget (`maxTrials`, perhaps raised); null for an uncapped grid. */
  maxTrials: number | null;
  /** Trials it makes in all (the budget, for a grid at most the grid). */
  trialBudget: number;
  /** Most trials leased or running at once; null for no limit. */
  maxConcurrent: number | null;
  /** Failed trials it tolerates; null for no limit. */
  maxFailures: number | null;
  /** Early stopping (the spec's `pruner`); null for none. */
  pruner: PrunerSpec | null;
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
    'reason',
    'launched_by',
    'method',
    'max_trials',
    'trial_budget',
    'max_concurrent',
    'max_failures',
    'pruner',
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
    reason: (col('reason') as string | null) ?? null,
    launchedBy: (col('launched_by') as string | null) ?? null,
    method: col('method') as SearchMethod,
    maxTrials: (col('max_trials') as number | null) ?? null,
    trialBudget: col('trial_budget') as number,
    maxConcurrent: (col('max_concurrent') as number | null) ?? null,
    maxFailures: (col('max_failures') as number | null) ?? null,
    pruner: (col('pruner') as PrunerSpec | null) ?? null,
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
 * SET list of an UPDATE of `sweeps <alias>` that applies count moves. The only status it settles
 * is queued → running on a sweep's first lease; every other status change (completed, failed, the
 * end of a stop) is decided in TypeScript by the sweep's follow-up (sweep-lifecycle.ts), under the
 * same row lock, because it may first propose trials, settle ASHA or cancel what is left. The moves
 * are integers we computed, written inline.
 */
export function countsSetClause(alias: string, moves: CountMoves, nowParam: string): string {
  const deltas: Partial<Record<TrialStatus, string>> = {};
  for (const st of STATUSES) {
    const delta = Math.trunc(moves[st] ?? 0);
    if (delta !== 0) deltas[st] = String(delta);
  }
  return countsSetSql(alias, deltas, nowParam);
}

/**
 * `countsSetClause` for moves known only inside the statement, each an SQL expression (a lease
 * batch: `{ queued: '-n.n', leased: 'n.n' }`): the one place that writes how counts move.
 */
export function countsSetSql(alias: string, deltas: Partial<Record<TrialStatus, string>>, nowParam: string): string {
  const set = STATUSES.filter((st) => deltas[st] !== undefined).map((st) => `${st}_count = ${alias}.${st}_count + (${deltas[st]})`);
  if (deltas.leased !== undefined) set.push(`status = CASE WHEN ${alias}.status = 'queued' AND (${deltas.leased}) > 0 THEN 'running' ELSE ${alias}.status END`);
  return [...set, `updated_at = ${nowParam}`].join(', ');
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
