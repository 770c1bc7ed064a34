import { SqlParams } from '../../database/transaction.js';
import { countsSetSql, sweepHeadColumns, toSweepHead, type SweepHead } from '../sweeps/sweep-rows.js';
import { toTrialRow, trialColumns, type TrialRow } from './trial-rows.js';

/**
 * A sweep that may hand out a trial: queued or running (not paused or stopping), with a queued
 * trial, and below its `maxConcurrent` (leased + running, from its counters). Under `FOR UPDATE`
 * PostgreSQL re-checks this on the row it waited for, so racing leases never exceed the limit.
 */
export const LEASABLE = `status IN ('queued', 'running') AND queued_count > 0 AND (max_concurrent IS NULL OR leased_count + running_count < max_concurrent)`;

/**
 * GPUs each of the sweep's trials needs (`spec.resources.gpus`, 0 when absent): a column PostgreSQL
 * keeps from the spec, since reading a big grid's spec took longer than the lease (migration 045).
 */
export const NEEDED_GPUS = `needed_gpus`;

/** The sweeps a worker with `freeGpus` free GPUs that runs commands (or not) may lease from (parameters as SQL). */
export function leaseFilter(freeGpus: string, commands: string): string {
  return `${LEASABLE} AND ${NEEDED_GPUS} <= ${freeGpus} AND ${runnableBy(commands)}`;
}

/** One worker asking for a trial. */
export interface LeaseAsk {
  workerId: string;
  now: Date;
  expiresAt: Date;
  /** GPUs the worker has free: sweeps whose trials need more are passed over. */
  freeGpus: number;
  /** Whether the worker runs command trials (registered): command sweeps are passed over when not. */
  commands: boolean;
}

/** A sweep whose trials a worker that runs commands (or not: `$commands`) can take. */
export function runnableBy(commands: string): string {
  return `(template <> 'command' OR ${commands})`;
}

/** A trial handed to a worker, the sweep's head after the lease, and the GPUs the trial needs. */
export interface Leased {
  trial: TrialRow;
  sweep: SweepHead;
  gpus: number;
}

/**
 * Leases for `asks` (all with the same `freeGpus` and `commands`) in one statement: lock the oldest sweep that
 * fits (the lock order: sweep, then trials), take as many of its queued trials as there are asks
 * and its `maxConcurrent` allows, lowest index first and SKIP LOCKED (two workers never get the
 * same one), hand them out in the asks' order and move the counts once. One row per leased trial,
 * ordered by `lease_k` (1 for `asks[0]`); one row of nulls when none was leased, with
 * `locked_sweep` set when a sweep fitted but its queued trials were all being written.
 * A fixed text (the asks travel as arrays), so the statement is prepared once per connection.
 */
export function leaseBatchStatement(asks: readonly LeaseAsk[]): { text: string; values: unknown[] } {
  const p = new SqlParams();
  const owners = p.add(
    asks.map((a) => a.workerId),
    'uuid[]',
  );
  const expires = p.add(
    asks.map((a) => a.expiresAt),
    'timestamptz[]',
  );
  const ats = p.add(
    asks.map((a) => a.now),
    'timestamptz[]',
  );
  const at = p.add(new Date(Math.max(...asks.map((a) => a.now.getTime()))), 'timestamptz');
  const fits = leaseFilter(p.add(asks[0]?.freeGpus ?? 0, 'int'), p.add(asks[0]?.commands ?? true, 'boolean'));
  const text = `
    WITH s AS MATERIALIZED (
      SELECT id, ${NEEDED_GPUS} AS gpus,
        LEAST(cardinality(${owners}), CASE WHEN max_concurrent IS NULL THEN queued_count ELSE max_concurrent - leased_count - running_count END) AS room
      FROM sweeps WHERE ${fits} ORDER BY created_at, id LIMIT 1 FOR UPDATE
    ), q AS MATERIALIZED (
      SELECT id, row_number() OVER (ORDER BY index) AS k FROM (
        SELECT id, index FROM trials WHERE sweep_id = (SELECT id FROM s) AND status = 'queued'
        ORDER BY index LIMIT (SELECT room FROM s) FOR UPDATE SKIP LOCKED
      ) queued
    ), t AS (
      UPDATE trials tr SET status = 'leased', lease_owner = w.owner, lease_expires_at = w.expires_at, updated_at = w.at,
        error = NULL, revision = tr.revision + 1
      FROM q JOIN unnest(${owners}, ${expires}, ${ats}) WITH ORDINALITY AS w(owner, expires_at, at, k) ON w.k = q.k
      WHERE tr.id = q.id
      RETURNING q.k AS lease_k, ${trialColumns('tr')}
    ), c AS (
      UPDATE sweeps sw SET ${countsSetSql('sw', { queued: '-n.n', leased: 'n.n' }, at)}
      FROM projects p, (SELECT count(*)::int AS n FROM t) n
      WHERE sw.id = (SELECT id FROM s) AND n.n > 0 AND p.id = sw.project_id
      RETURNING ${sweepHeadColumns('sw', 'sweep_')}
    )
    SELECT (SELECT id FROM s) AS locked_sweep, (SELECT gpus FROM s) AS locked_gpus, t.*, c.*
    FROM (SELECT 1) one LEFT JOIN t ON true LEFT JOIN c ON true ORDER BY t.lease_k`;
  return { text, values: p.values };
}

/** A row of `leaseBatchStatement` with a trial. */
export function toLeased(row: Record<string, unknown>): Leased {
  return { trial: toTrialRow(row), sweep: toSweepHead(row, 'sweep_'), gpus: Number(row.locked_gpus) };
}
