import { TrialStatus } from '@ablate/contracts';
import type { EntityManager } from 'typeorm';
import { SqlParams, sql } from '../../database/transaction.js';
import { countsSetSql, sweepHeadColumns, toSweepHead, type SweepHead } from '../sweeps/sweep-rows.js';
import type { ReportPoints, TrialRow } from './trial-rows.js';

/** One report's write that moves its trial's status (so its sweep's counts): the trial as read, as decided, and its points. */
export interface StatusWrite {
  before: TrialRow;
  next: TrialRow;
  points: ReportPoints | undefined;
  now: Date;
}

const STATUSES = TrialStatus.options;

/**
 * Status-changing writes of ONE sweep's trials in one statement: lock the sweep row (the lock order:
 * sweep, then trials), write each trial that is still at the revision its report read, store the
 * written ones' points, and move the counts by what was written, once. Every report that moves a
 * status locks the sweep row to move its counts, and holds it to its commit; written one by one, the
 * reports of a busy sweep queued on that row (bench:scheduler figure 2: 6.5 ms per completion
 * statement at 16 workers, most of it waiting). One row per written trial (`write_k`, 1 for
 * `writes[0]`) with the sweep's head after the batch; one row of nulls when none was written.
 * A fixed text (the writes travel as arrays), so it is prepared once per connection.
 */
export function statusWriteBatchStatement(sweepId: string, writes: readonly StatusWrite[]): { text: string; values: unknown[] } {
  const p = new SqlParams();
  const col = <T>(pick: (w: StatusWrite) => T, cast: string) => p.add(writes.map(pick), cast);
  const sweep = p.add(sweepId, 'uuid');
  const at = p.add(new Date(Math.max(...writes.map((w) => w.now.getTime()))), 'timestamptz');
  const input = [
    col((w) => w.next.id, 'uuid[]'),
    col((w) => w.before.revision, 'int[]'),
    col((w) => w.before.status, 'text[]'),
    col((w) => w.next.status, 'text[]'),
    col((w) => w.next.attempt, 'int[]'),
    col((w) => w.next.leaseOwner, 'uuid[]'),
    col((w) => w.next.leaseExpiresAt, 'timestamptz[]'),
    col((w) => w.next.step, 'int[]'),
    col((w) => JSON.stringify(w.next.metrics), 'jsonb[]'),
    col((w) => w.next.score, 'float8[]'),
    col((w) => w.next.scoreStep ?? null, 'int[]'),
    col((w) => w.next.backend, 'text[]'),
    col((w) => w.next.error, 'text[]'),
    col((w) => w.next.errorCode ?? null, 'text[]'),
    col((w) => w.next.statusReason, 'text[]'),
    col((w) => w.next.startedAt, 'timestamptz[]'),
    col((w) => w.next.finishedAt, 'timestamptz[]'),
    col((w) => w.next.updatedAt, 'timestamptz[]'),
  ];
  const points = writes.flatMap((w, i) => (w.points ? Object.entries(w.points.metrics).map(([name, value]) => ({ k: i + 1, step: w.points!.step, name, value, at: w.now })) : []));
  const point = <T>(pick: (m: (typeof points)[number]) => T, cast: string) => p.add(points.map(pick), cast);
  const pointColumns = [point((m) => m.k, 'int[]'), point((m) => m.name, 'text[]'), point((m) => m.step, 'int[]'), point((m) => m.value, 'float8[]'), point((m) => m.at, 'timestamptz[]')];
  const delta = (st: TrialStatus) => `count(*) FILTER (WHERE status = '${st}') - count(*) FILTER (WHERE from_status = '${st}') AS ${st}`;
  const text = `
    WITH s AS MATERIALIZED (SELECT id FROM sweeps WHERE id = ${sweep} FOR UPDATE),
    i AS MATERIALIZED (
      SELECT * FROM unnest(${input.join(', ')}) WITH ORDINALITY AS i(id, revision, from_status, status, attempt, lease_owner, lease_expires_at,
        step, metrics, score, score_step, backend, error, error_code, status_reason, started_at, finished_at, updated_at, k)
    ), t AS (
      UPDATE trials tr SET status = i.status, attempt = i.attempt, lease_owner = i.lease_owner, lease_expires_at = i.lease_expires_at,
        step = i.step, metrics = i.metrics, score = i.score, score_step = i.score_step, backend = i.backend, error = i.error,
        error_code = i.error_code, status_reason = i.status_reason, started_at = i.started_at, finished_at = i.finished_at,
        updated_at = i.updated_at, revision = tr.revision + 1
      FROM i WHERE tr.id = i.id AND tr.revision = i.revision AND tr.sweep_id = (SELECT id FROM s)
      RETURNING i.k, i.id, i.status, i.from_status
    ), points AS (
      INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
      SELECT t.id, m.name, m.step, m.value, m.at
      FROM unnest(${pointColumns.join(', ')}) AS m(k, name, step, value, at)
      JOIN t ON t.k = m.k
      ON CONFLICT DO NOTHING
    ), d AS (
      SELECT ${STATUSES.map(delta).join(', ')} FROM t
    ), c AS (
      UPDATE sweeps sw SET ${countsSetSql('sw', Object.fromEntries(STATUSES.map((st) => [st, `d.${st}`])), at)}
      FROM projects p, d
      WHERE sw.id = (SELECT id FROM s) AND p.id = sw.project_id AND EXISTS (SELECT 1 FROM t)
      RETURNING ${sweepHeadColumns('sw', 'sweep_')}
    )
    SELECT t.k AS write_k, c.* FROM (SELECT 1) one LEFT JOIN t ON true LEFT JOIN c ON true ORDER BY t.k`;
  return { text, values: p.values };
}

/** The batch's rows: which writes went in (by index into `writes`) and the sweep's head after them (absent when none did). */
export function toStatusWriteResult(rows: readonly Record<string, unknown>[]): { written: Set<number>; sweep?: SweepHead } {
  const written = new Set(rows.filter((r) => r.write_k !== null && r.write_k !== undefined).map((r) => Number(r.write_k) - 1));
  return written.size > 0 ? { written, sweep: toSweepHead(rows[0]!, 'sweep_') } : { written };
}

/** What one write of a batch came to: written (with the sweep's head after the batch), not written (its trial moved on: read again), or the error the database gave it. */
export type StatusWriteResult = { sweep?: SweepHead } | null | Error;

/**
 * Runs `writes` (one sweep's) as one statement. When PostgreSQL refuses that statement, each write
 * is tried alone, so one write the database refuses fails on its own and the others go in: a batch
 * is a way to share a lock, never a reason for one report to fail another.
 */
export async function writeStatusBatch(db: EntityManager, sweepId: string, writes: readonly StatusWrite[]): Promise<StatusWriteResult[]> {
  try {
    return await runBatch(db, sweepId, writes);
  } catch (err) {
    if (writes.length === 1) return [asError(err)];
    return Promise.all(writes.map((w) => runBatch(db, sweepId, [w]).then((r) => r[0]!, asError)));
  }
}

async function runBatch(db: EntityManager, sweepId: string, writes: readonly StatusWrite[]): Promise<StatusWriteResult[]> {
  const { text, values } = statusWriteBatchStatement(sweepId, writes);
  const { written, sweep } = toStatusWriteResult(await sql(db, text, values, { prepare: true }));
  return writes.map((_, i) => (written.has(i) ? { sweep } : null));
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
