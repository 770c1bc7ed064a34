import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction, sql } from '../../database/transaction.js';
import { lockSweepHead, shiftCounts } from '../sweeps/sweep-head.repository.js';
import { countMoves, type SweepHead } from '../sweeps/sweep-rows.js';
import { toTrialRow, trialColumns, writeTrialStatement, type TrialRow } from './trial-rows.js';
import { applyReport } from './trial-state.js';

const LIVE = `status IN ('leased', 'running')`;

/** Leases: handing trials out, renewing, extending after an outage, and expiring them. */
@Injectable()
export class LeasesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Hands the next queued trial of the oldest live sweep to `workerId`. The sweep row is locked first
   * (the lock order), so leases of one sweep take turns while its counts move with them; the trial
   * is taken with SKIP LOCKED, so two workers can never get the same one.
   */
  leaseNextTrial(workerId: string, now: Date, expiresAt: Date): Promise<{ trial: TrialRow; sweep: SweepHead } | null> {
    return inTransaction(this.db, async (tx) => {
      const sweepId = await this.lockOldestSweepWithQueuedTrials(tx);
      if (!sweepId) return null;
      const rows = await sql(
        tx,
        `UPDATE trials SET status = 'leased', lease_owner = $2, lease_expires_at = $3, updated_at = $4, error = NULL
         WHERE id = (SELECT id FROM trials WHERE sweep_id = $1 AND status = 'queued' ORDER BY index LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING ${trialColumns()}`,
        [sweepId, workerId, expiresAt, now],
      );
      if (!rows[0]) return null;
      const sweep = await shiftCounts(tx, sweepId, { queued: -1, leased: 1 }, now);
      return { trial: toTrialRow(rows[0]), sweep };
    });
  }

  /**
   * `ORDER BY ... LIMIT 1 FOR UPDATE` may come back empty when the row it waited for stopped
   * matching (its last queued trial was just leased) although another sweep still matches; look
   * again in that case rather than tell the worker the queue is empty.
   */
  private async lockOldestSweepWithQueuedTrials(tx: EntityManager): Promise<string | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const locked = await sql<{ id: string }>(
        tx,
        `SELECT id FROM sweeps WHERE status IN ('queued', 'running') AND queued_count > 0 ORDER BY created_at, id LIMIT 1 FOR UPDATE`,
      );
      if (locked[0]) return locked[0].id;
      const any = await sql(tx, `SELECT 1 FROM sweeps WHERE status IN ('queued', 'running') AND queued_count > 0 LIMIT 1`);
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

  /** Requeues (or fails, past the retry limit) trials whose lease ran out. Returns the changed trials and their sweeps. */
  async expireLeases(now: Date): Promise<{ trials: TrialRow[]; sweeps: SweepHead[] }> {
    const due = await sql<{ id: string; sweep_id: string }>(this.db.manager, `SELECT id, sweep_id FROM trials WHERE ${LIVE} AND lease_expires_at < $1`, [now]);
    const trials: TrialRow[] = [];
    const sweeps: SweepHead[] = [];
    for (const sweepId of new Set(due.map((t) => t.sweep_id))) {
      const ids = due.filter((t) => t.sweep_id === sweepId).map((t) => t.id);
      const out = await inTransaction(this.db, (tx) => this.expireInSweep(tx, sweepId, ids, now));
      if (!out) continue;
      trials.push(...out.trials);
      sweeps.push(out.sweep);
    }
    return { trials, sweeps };
  }

  /** Requeues or fails the given trials of one sweep whose lease is still expired (sweep locked first). */
  private async expireInSweep(tx: EntityManager, sweepId: string, ids: string[], now: Date): Promise<{ trials: TrialRow[]; sweep: SweepHead } | null> {
    const sweep = await lockSweepHead(tx, sweepId);
    if (!sweep) return null;
    const rows = await sql(
      tx,
      `SELECT ${trialColumns()} FROM trials WHERE id = ANY($1::uuid[]) AND ${LIVE} AND lease_expires_at < $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
      [ids, now],
    );
    if (rows.length === 0) return null;
    const changes: { from: TrialRow['status']; to: TrialRow['status'] }[] = [];
    const expired: TrialRow[] = [];
    for (const row of rows) {
      const trial = toTrialRow(row);
      const from = trial.status;
      applyReport(
        trial,
        { type: 'failed', workerId: trial.leaseOwner ?? '', error: 'The worker stopped reporting and heartbeating (lease expired).', retryable: true },
        { name: sweep.metricName, goal: sweep.metricGoal },
        { now, leaseExpiresAt: now, maxRetries: sweep.maxRetries },
      );
      const { text, values } = writeTrialStatement(trial);
      await sql(tx, text, values);
      changes.push({ from, to: trial.status });
      expired.push(trial);
    }
    return { trials: expired, sweep: await shiftCounts(tx, sweepId, countMoves(changes), now) };
  }
}
