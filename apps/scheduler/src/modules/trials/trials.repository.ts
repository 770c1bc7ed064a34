import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { configurationKey, type MetricPoint, type TrialStatus } from '@ablate/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { sql } from '../../database/transaction.js';
import type { Observation } from '../search/index.js';
import type { CommonError } from '../sweeps/sweep-lifecycle.js';
import { toTrialRow, trialColumns, type TrialRow } from './trial-rows.js';

const INSERT_CHUNK = 2_000;

/** Every point of trial $1: the primary key's range for `trial_id`. */
const METRIC_POINTS_SQL = `SELECT step, name, value FROM metric_points WHERE trial_id = $1 ORDER BY step, name`;

/**
 * The points of trial $1 after step $2. It reads the primary key `metric_points_pkey (trial_id, name,
 * step)`: `trial_id` bounds the range and `step > $2` is an index condition (PostgreSQL 18 skip-scans
 * each name's steps), so a long trial's earlier points are neither read from the table nor sent.
 * Exported for the int-spec that checks this plan.
 */
export const METRIC_POINTS_AFTER_STEP_SQL = `SELECT step, name, value FROM metric_points WHERE trial_id = $1 AND step > $2 ORDER BY step, name`;

/**
 * Reads trials and metric points and creates a sweep's trials (in a transaction that holds the
 * sweep row). Leases, reports and bulk status moves have their own repositories.
 */
@Injectable()
export class TrialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts queued trials with indexes from `firstIndex`, each with its configuration key; returns them. */
  async insertForSweep(
    tx: EntityManager,
    sweepId: string,
    firstIndex: number,
    params: readonly Record<string, unknown>[],
    now: Date,
  ): Promise<TrialRow[]> {
    const inserted: TrialRow[] = [];
    for (let i = 0; i < params.length; i += INSERT_CHUNK) {
      const chunk = params.slice(i, i + INSERT_CHUNK);
      const rows = await sql(
        tx,
        `INSERT INTO trials (sweep_id, index, params, configuration_key, status, attempt, metrics, created_at, updated_at)
         SELECT $1, x.index, x.params::jsonb, x.key, 'queued', 1, '{}', $2, $2
           FROM unnest($3::int[], $4::text[], $5::text[]) AS x(index, params, key)
         RETURNING ${trialColumns()}`,
        [sweepId, now, chunk.map((_, j) => firstIndex + i + j), chunk.map((p) => JSON.stringify(p)), chunk.map((p) => configurationKey(p))],
      );
      inserted.push(...rows.map(toTrialRow));
    }
    return inserted;
  }

  /** A sweep's finished trials in creation order, as the search reads them (TPE). */
  async findHistory(tx: EntityManager, sweepId: string): Promise<Observation[]> {
    const rows = await sql<{ params: Record<string, unknown>; score: number | null; status: Observation['status']; step: number | null }>(
      tx,
      `SELECT params, score, status, step FROM trials WHERE sweep_id = $1 AND status IN ('completed', 'pruned', 'failed', 'cancelled') ORDER BY index`,
      [sweepId],
    );
    return rows.map((r) => ({ params: r.params, score: r.score, status: r.status, step: r.step ?? 0 }));
  }

  /** The most common error of the sweep's failed trials (read once, when a sweep fails). */
  async findCommonError(tx: EntityManager, sweepId: string): Promise<CommonError | null> {
    const rows = await sql<{ error: string; n: number }>(
      tx,
      `SELECT error, count(*)::int AS n FROM trials WHERE sweep_id = $1 AND status = 'failed' AND error IS NOT NULL
       GROUP BY error ORDER BY n DESC, error LIMIT 1`,
      [sweepId],
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<TrialRow | null> {
    const rows = await sql(this.db.manager, `SELECT ${trialColumns()} FROM trials WHERE id = $1`, [id]);
    return rows[0] ? toTrialRow(rows[0]) : null;
  }

  /** Every trial of the sweep in index order (the caller ranks them). */
  async findLeaderboardRows(sweepId: string, tx: EntityManager = this.db.manager): Promise<TrialRow[]> {
    const rows = await sql(tx, `SELECT ${trialColumns()} FROM trials WHERE sweep_id = $1 ORDER BY index`, [sweepId]);
    return rows.map(toTrialRow);
  }

  /** The trial's points by step, then name; with `afterStep`, only the later ones (what a live page lacks). */
  findMetricPoints(trialId: string, afterStep?: number): Promise<MetricPoint[]> {
    if (afterStep === undefined) return sql<MetricPoint>(this.db.manager, METRIC_POINTS_SQL, [trialId]);
    return sql<MetricPoint>(this.db.manager, METRIC_POINTS_AFTER_STEP_SQL, [trialId, afterStep]);
  }

  /**
   * Trial counts per status for each sweep, counted from the rows. The sweep rows keep these counts
   * (nothing on a request path counts rows any more); tests and the load benchmark compare the two.
   */
  async recountByStatus(sweepIds: string[]): Promise<Map<string, Partial<Record<TrialStatus, number>>>> {
    const counts = new Map<string, Partial<Record<TrialStatus, number>>>();
    if (sweepIds.length === 0) return counts;
    const rows = await sql<{ sweep_id: string; status: TrialStatus; n: string }>(
      this.db.manager,
      'SELECT sweep_id, status, count(*) AS n FROM trials WHERE sweep_id = ANY($1::uuid[]) GROUP BY sweep_id, status',
      [sweepIds],
    );
    for (const row of rows) {
      const c = counts.get(row.sweep_id) ?? {};
      c[row.status] = Number(row.n);
      counts.set(row.sweep_id, c);
    }
    return counts;
  }
}
