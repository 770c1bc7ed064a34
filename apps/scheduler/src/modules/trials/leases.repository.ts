import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction, sql } from '../../database/transaction.js';
import { LockedSweep } from '../sweeps/locked-sweep.repository.js';
import { Changes } from '../sweeps/sweep-changes.js';
import { SweepFollowUps } from '../sweeps/sweep-follow-up.repository.js';
import { toTrialRow, trialColumns, writeTrialStatement, type TrialRow } from './trial-rows.js';
import { leaseBatchStatement, leaseFilter, toLeased, type LeaseAsk, type Leased } from './lease-batch.js';
import { LeaseLane } from './lease-lane.js';
import { applyReport } from './trial-state.js';

const LIVE = `status IN ('leased', 'running')`;

/** Leases: handing trials out, renewing, extending after an outage, and expiring them. */
@Injectable()
export class LeasesRepository {
  /** Leases asked for while a lease statement runs go together in the next one; only asks with the same free GPUs and command capability share one. */
  private readonly lane = new LeaseLane<LeaseAsk, Leased | null>(
    (asks) => this.leaseBatch(asks),
    (first, other) => first.freeGpus === other.freeGpus && first.commands === other.commands,
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly followUps: SweepFollowUps,
  ) {}

  /**
   * Hands the next queued trial of the oldest live sweep to `workerId`, in one statement with the
   * leases asked for at the same time (`leaseBatchStatement`): lock the sweep row (the lock order),
   * take its queued trials of lowest index with SKIP LOCKED (two workers never get the same one),
   * move the counts. One statement, so the sweep row is held for microseconds, not across round
   * trips; leases of one sweep take turns without holding pooled connections while they wait.
   */
  leaseNextTrial(workerId: string, now: Date, expiresAt: Date, freeGpus = 0, commands = true): Promise<Leased | null> {
    return this.lane.run({ workerId, now, expiresAt, freeGpus, commands });
  }

  /**
   * One turn of the lane: leases for `asks` in order, from the oldest sweep that fits; asks left
   * over when that sweep ran out (or reached `maxConcurrent`) go on to the next sweep.
   */
  private async leaseBatch(asks: LeaseAsk[]): Promise<(Leased | null)[]> {
    const out: (Leased | null)[] = asks.map(() => null);
    let pending = asks.map((_, i) => i);
    for (let misses = 0; pending.length > 0 && misses < 5; ) {
      const { text, values } = leaseBatchStatement(pending.map((i) => asks[i]!));
      const rows = await sql(this.db.manager, text, values, { prepare: true });
      const leased = rows.filter((r) => r.id);
      for (const row of leased) out[pending[Number(row.lease_k) - 1]!] = toLeased(row);
      if (leased.length > 0) {
        pending = pending.slice(leased.length);
        continue;
      }
      if (rows[0]?.locked_sweep) break; // its queued trials are all being written right now
      // `ORDER BY ... LIMIT 1 FOR UPDATE` may come back empty when the row it waited for stopped
      // matching (its last queued trial was just leased) although another sweep still matches:
      // look again then, rather than tell the workers the queue is empty.
      misses++;
      const any = await sql(
        this.db.manager,
        `SELECT 1 FROM sweeps WHERE ${leaseFilter('$1::int', '$2::boolean')} LIMIT 1`,
        [asks[0]!.freeGpus, asks[0]!.commands],
        { prepare: true },
      );
      if (any.length === 0) break;
    }
    return out;
  }

  /** Renews the leases of `trialIds` that `workerId` still holds; returns the renewed ids. */
  async renewLeases(workerId: string, trialIds: string[], expiresAt: Date): Promise<string[]> {
    if (trialIds.length === 0) return [];
    // One statement is its own transaction (it was BEGIN, the statement, COMMIT: three round trips per heartbeat).
    const rows = await sql<{ id: string }>(
      this.db.manager,
      `UPDATE trials SET lease_expires_at = $3
       WHERE id IN (SELECT id FROM trials WHERE id = ANY($2::uuid[]) AND lease_owner = $1 AND ${LIVE} ORDER BY id FOR UPDATE)
       RETURNING id`,
      [workerId, trialIds, expiresAt],
      { prepare: true },
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
