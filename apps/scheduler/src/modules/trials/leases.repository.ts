import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SqlParams, inTransaction, sql } from '../../database/transaction.js';
import { LockedSweep } from '../sweeps/locked-sweep.repository.js';
import { Changes } from '../sweeps/sweep-changes.js';
import { SweepFollowUps } from '../sweeps/sweep-follow-up.repository.js';
import { countsSetClause, sweepHeadColumns, toSweepHead, type SweepHead } from '../sweeps/sweep-rows.js';
import { toTrialRow, trialColumns, writeTrialStatement, type TrialRow } from './trial-rows.js';
import { LeaseLane } from './lease-lane.js';
import { applyReport } from './trial-state.js';

const LIVE = `status IN ('leased', 'running')`;

/**
 * A sweep that may hand out a trial: queued or running (not paused or stopping), with a queued
 * trial, and below its `maxConcurrent` (leased + running, from its counters). Under `FOR UPDATE`
 * PostgreSQL re-checks this on the row it waited for, so racing leases never exceed the limit.
 */
const LEASABLE = `status IN ('queued', 'running') AND queued_count > 0 AND (max_concurrent IS NULL OR leased_count + running_count < max_concurrent)`;

/**
 * GPUs each of the sweep's trials needs (`spec.resources.gpus`, 0 when absent). Read from the
 * validated spec of the few live sweeps a lease looks at; not worth a column of its own.
 */
const NEEDED_GPUS = `COALESCE((spec->'resources'->>'gpus')::int, 0)`;

/** Leases: handing trials out, renewing, extending after an outage, and expiring them. */
@Injectable()
export class LeasesRepository {
  private readonly lane = new LeaseLane();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly followUps: SweepFollowUps,
  ) {}

  /**
   * Hands the next queued trial of the oldest live sweep to `workerId`, in one statement: lock the
   * sweep row (the lock order), take its queued trial of lowest index with SKIP LOCKED (two workers
   * never get the same one), move the counts. One statement, so the sweep row is held for
   * microseconds, not across round trips; leases of one sweep take turns without holding
   * pooled connections while they wait.
   */
  async leaseNextTrial(
    workerId: string,
    now: Date,
    expiresAt: Date,
    freeGpus = 0,
  ): Promise<{ trial: TrialRow; sweep: SweepHead; gpus: number } | null> {
    const p = new SqlParams();
    const at = p.add(now, 'timestamptz');
    // A sweep whose trials need more GPUs than the worker has free is passed over, not waited on.
    const fits = `${LEASABLE} AND ${NEEDED_GPUS} <= ${p.add(freeGpus, 'int')}`;
    const text = `
      WITH s AS MATERIALIZED (
        SELECT id, ${NEEDED_GPUS} AS gpus FROM sweeps WHERE ${fits} ORDER BY created_at, id LIMIT 1 FOR UPDATE
      ), t AS (
        UPDATE trials SET status = 'leased', lease_owner = ${p.add(workerId, 'uuid')}, lease_expires_at = ${p.add(expiresAt, 'timestamptz')},
          updated_at = ${at}, error = NULL, revision = revision + 1
        WHERE id = (SELECT id FROM trials WHERE sweep_id = (SELECT id FROM s) AND status = 'queued' ORDER BY index LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${trialColumns()}
      ), c AS (
        UPDATE sweeps sw SET ${countsSetClause('sw', { queued: -1, leased: 1 }, at)}
        FROM projects p WHERE sw.id IN (SELECT sweep_id FROM t) AND p.id = sw.project_id
        RETURNING ${sweepHeadColumns('sw', 'sweep_')}
      )
      SELECT (SELECT id FROM s) AS locked_sweep, (SELECT gpus FROM s) AS locked_gpus, t.*, c.* FROM (SELECT 1) one LEFT JOIN t ON true LEFT JOIN c ON true`;
    // `ORDER BY ... LIMIT 1 FOR UPDATE` may come back empty when the row it waited for stopped
    // matching (its last queued trial was just leased) although another sweep still matches:
    // look again then, rather than tell the worker the queue is empty.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [row] = await this.lane.run(() => sql(this.db.manager, text, p.values));
      if (row?.id) return { trial: toTrialRow(row), sweep: toSweepHead(row, 'sweep_'), gpus: Number(row.locked_gpus) };
      if (row?.locked_sweep) return null; // its queued trials are all being written right now
      const any = await sql(
        this.db.manager,
        `SELECT 1 FROM sweeps WHERE ${LEASABLE} AND ${NEEDED_GPUS} <= $1 LIMIT 1`,
        [freeGpus],
      );
      if (any.length === 0) return null;
    }
    return null;
  }

  /** Renews the leases of `trialIds` that `workerId` still holds; returns the renewed ids. */
  async renewLeases(workerId: string, trialIds: string[], expiresAt: Date): Promise<string[]> {
    if (trialIds.length === 0) return [];
    const rows = await inTransaction(this.db, (tx) =>
      sql<{ id: string }>(
        tx,
        `UPDATE trials SET lease_expires_at = $3
         WHERE id IN (SELECT id FROM trials WHERE id = ANY($2::uuid[]) AND lease_owner = $1 AND ${LIVE} ORDER BY id FOR UPDATE)
         RETURNING id`,
        [workerId, trialIds, expiresAt],
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Moves every live lease that ends before `until` to `until`. Run after the scheduler or its
   * database was away: workers could not heartbeat meanwhile, which is no sign that they died.
   */
  async extendLiveLeases(until: Date): Promise<number> {
    const rows = await inTransaction(this.db, (tx) =>
      sql(
        tx,
        `UPDATE trials SET lease_expires_at = $1
         WHERE id IN (SELECT id FROM trials WHERE ${LIVE} AND lease_expires_at < $1 ORDER BY id FOR UPDATE)
         RETURNING id`,
        [until],
      ),
    );
    return rows.length;
  }

  /**
   * Requeues (or fails, past the retry limit) trials whose lease ran out, one transaction per sweep,
   * each with the sweep's follow-up (a failure may end the sweep; a stopping sweep cancels a trial
   * it would requeue). Returns the expired trials and everything that changed.
   */
  async expireLeases(now: Date): Promise<{ expired: TrialRow[]; changes: Changes }> {
    const due = await sql<{ id: string; sweep_id: string }>(
      this.db.manager,
      `SELECT id, sweep_id FROM trials WHERE ${LIVE} AND lease_expires_at < $1`,
      [now],
    );
    const out = { expired: [] as TrialRow[], changes: new Changes() };
    for (const sweepId of new Set(due.map((t) => t.sweep_id))) {
      const ids = due.filter((t) => t.sweep_id === sweepId).map((t) => t.id);
      const { expired, changes } = await inTransaction(this.db, (tx) => this.expireInSweep(tx, sweepId, ids, now));
      out.expired.push(...expired);
      out.changes.merge(changes);
    }
    return out;
  }

  /** Requeues or fails the given trials of one sweep whose lease is still expired (sweep locked first). */
  private async expireInSweep(tx: EntityManager, sweepId: string, ids: string[], now: Date): Promise<{ expired: TrialRow[]; changes: Changes }> {
    const sweep = await LockedSweep.lock(tx, sweepId, now);
    if (!sweep) return { expired: [], changes: new Changes() };
    const rows = await sql(
      tx,
      `SELECT ${trialColumns()} FROM trials WHERE id = ANY($1::uuid[]) AND ${LIVE} AND lease_expires_at < $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
      [ids, now],
    );
    const moved = [];
    for (const row of rows) {
      const trial = toTrialRow(row);
      const before = { from: trial.status, owner: trial.leaseOwner };
      applyReport(
        trial,
        { type: 'failed', workerId: trial.leaseOwner ?? '', error: 'The worker stopped reporting and heartbeating (lease expired).', retryable: true },
        { name: sweep.head.metricName, goal: sweep.head.metricGoal },
        { now, leaseExpiresAt: now, maxRetries: sweep.head.maxRetries },
      );
      const { text, values } = writeTrialStatement(trial);
      await sql(tx, text, values);
      moved.push({ trial: { ...trial, revision: trial.revision + 1 }, ...before });
    }
    await sweep.moved(moved);
    await this.followUps.continue(sweep);
    return { expired: moved.map((m) => m.trial), changes: sweep.changes };
  }
}
