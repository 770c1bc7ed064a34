import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TrialReport, TrialStatus } from '@ablate/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { SweepEntity } from '../sweeps/sweep.entity.js';
import { inTransaction } from '../../database/transaction.js';
import { MetricPointEntity } from './metric-point.entity.js';
import { applyReport, checkReportAllowed, type ReportRejection } from './trial-state.js';
import { TrialEntity } from './trial.entity.js';

export type ReportOutcome =
  | { kind: 'not_found' }
  | { kind: 'rejected'; reason: ReportRejection }
  | {
      kind: 'applied';
      trial: TrialEntity;
      sweep: SweepEntity;
      /**
       * The sweep's per-status counts after the report, present when the trial's status (and so the counts, and
       * maybe the sweep's status) moved; most epoch reports move neither and leave it out.
       */
      sweepCounts?: Partial<Record<TrialStatus, number>>;
    };

/** The only place that reads and writes trials and metric points. */
@Injectable()
export class TrialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts a sweep's trials in the caller's transaction, in chunks. */
  async insertForSweep(tx: EntityManager, sweepId: string, params: Record<string, unknown>[], now: Date): Promise<void> {
    const rows = params.map((p, index) =>
      tx.getRepository(TrialEntity).create({ sweepId, index, params: p, status: 'queued', attempt: 1, metrics: {}, createdAt: now, updatedAt: now }),
    );
    for (let i = 0; i < rows.length; i += 1000) {
      // jsonb params are typed as Record<string, unknown>, which TypeORM's deep-partial type can't follow.
      await tx.createQueryBuilder().insert().into(TrialEntity).values(rows.slice(i, i + 1000) as QueryDeepPartialEntity<TrialEntity>[]).execute();
    }
  }

  /**
   * Hands the oldest queued trial of a live sweep to `workerId`, in one transaction. The row lock
   * with SKIP LOCKED means two workers racing can never both take the same trial.
   */
  async leaseNextTrial(workerId: string, now: Date, expiresAt: Date): Promise<{ trial: TrialEntity; sweep: SweepEntity } | null> {
    const leased = await inTransaction(this.db, async (tx) => {
      const trial = await tx
        .getRepository(TrialEntity)
        .createQueryBuilder('t')
        .innerJoin(SweepEntity, 's', 's.id = t.sweepId')
        .where(`t.status = 'queued'`)
        .andWhere(`s.status IN ('queued', 'running')`)
        .orderBy('t.createdAt', 'ASC')
        .addOrderBy('t.index', 'ASC')
        .limit(1)
        .setLock('pessimistic_write', undefined, ['t'])
        .setOnLocked('skip_locked')
        .getOne();
      if (!trial) return null;
      Object.assign(trial, { status: 'leased', leaseOwner: workerId, leaseExpiresAt: expiresAt, updatedAt: now, error: null });
      await tx.getRepository(TrialEntity).save(trial);
      return trial;
    });
    if (!leased) return null;
    // Outside the lease transaction: locking the sweep row while holding a trial row would invert
    // the lock order (sweep, then trials) that cancelling and reporting use.
    await this.db.getRepository(SweepEntity).update({ id: leased.sweepId, status: 'queued' }, { status: 'running', updatedAt: now });
    const sweep = await this.db.getRepository(SweepEntity).findOneByOrFail({ id: leased.sweepId });
    return { trial: leased, sweep };
  }

  /** Locks the trial, checks the lease, stores the points (a repeated point is ignored) and the new state. */
  async recordReport(
    trialId: string,
    report: TrialReport,
    ctx: { now: Date; leaseExpiresAt: Date },
  ): Promise<ReportOutcome> {
    const found = await this.db.getRepository(TrialEntity).findOne({ where: { id: trialId }, select: { id: true, sweepId: true } });
    if (!found) return { kind: 'not_found' };
    return inTransaction(this.db, async (tx) => {
      // Sweep row first, then the trial: the lock order every writer follows. Holding the sweep also
      // serializes finishing trials of one sweep, so exactly one of them sees the sweep done.
      const sweep = await this.lockSweep(tx, found.sweepId);
      const trial = await tx.getRepository(TrialEntity).createQueryBuilder('t').where('t.id = :trialId', { trialId }).setLock('pessimistic_write').getOneOrFail();
      const rejection = checkReportAllowed(trial, report.workerId);
      if (rejection) return { kind: 'rejected', reason: rejection };
      if ((report.type === 'epoch' || report.type === 'completed') && Object.keys(report.metrics).length > 0) {
        const points = Object.entries(report.metrics).map(([name, value]) => ({ trialId, name, step: report.step, value, recordedAt: ctx.now }));
        await tx.createQueryBuilder().insert().into(MetricPointEntity).values(points).orIgnore().execute();
      }
      const before = trial.status;
      applyReport(trial, report, { name: sweep.metricName, goal: sweep.metricGoal }, { ...ctx, maxRetries: sweep.maxRetries });
      await tx.getRepository(TrialEntity).save(trial);
      if (trial.status === before) return { kind: 'applied', trial, sweep };
      return { kind: 'applied', trial, sweep, sweepCounts: await this.settleSweep(tx, sweep, ctx.now) };
    });
  }

  /** Requeues (or fails, past the retry limit) trials whose lease ran out. Returns the changed trials. */
  async expireLeases(now: Date): Promise<TrialEntity[]> {
    const due = await this.db
      .getRepository(TrialEntity)
      .createQueryBuilder('t')
      .select(['t.id', 't.sweepId'])
      .where(`t.status IN ('leased', 'running')`)
      .andWhere('t.leaseExpiresAt < :now', { now })
      .getMany();
    const expired: TrialEntity[] = [];
    for (const sweepId of new Set(due.map((t) => t.sweepId))) {
      const ids = due.filter((t) => t.sweepId === sweepId).map((t) => t.id);
      expired.push(...(await inTransaction(this.db, (tx) => this.expireInSweep(tx, sweepId, ids, now))));
    }
    return expired;
  }

  /** Requeues or fails the given trials of one sweep whose lease is still expired (sweep locked first). */
  private async expireInSweep(tx: EntityManager, sweepId: string, ids: string[], now: Date): Promise<TrialEntity[]> {
    const sweep = await this.lockSweep(tx, sweepId);
    const trials = await tx
      .getRepository(TrialEntity)
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids })
      .andWhere(`t.status IN ('leased', 'running')`)
      .andWhere('t.leaseExpiresAt < :now', { now })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    for (const trial of trials) {
      applyReport(
        trial,
        { type: 'failed', workerId: trial.leaseOwner ?? '', error: 'The worker stopped reporting (lease expired); the trial was requeued.', retryable: true },
        { name: sweep.metricName, goal: sweep.metricGoal },
        { now, leaseExpiresAt: now, maxRetries: sweep.maxRetries },
      );
      await tx.getRepository(TrialEntity).save(trial);
    }
    await this.settleSweep(tx, sweep, now);
    return trials;
  }

  private lockSweep(tx: EntityManager, id: string): Promise<SweepEntity> {
    return tx.getRepository(SweepEntity).createQueryBuilder('s').where('s.id = :id', { id }).setLock('pessimistic_write').getOneOrFail();
  }

  /** Extends every lease the worker holds (heartbeat). */
  async renewLeases(workerId: string, expiresAt: Date): Promise<void> {
    await this.db
      .getRepository(TrialEntity)
      .createQueryBuilder()
      .update()
      .set({ leaseExpiresAt: expiresAt })
      .where(`lease_owner = :workerId AND status IN ('leased', 'running')`, { workerId })
      .execute();
  }

  findById(id: string): Promise<TrialEntity | null> {
    return this.db.getRepository(TrialEntity).findOneBy({ id });
  }

  findLeaderboardRows(sweepId: string): Promise<TrialEntity[]> {
    return this.db.getRepository(TrialEntity).find({ where: { sweepId }, order: { index: 'ASC' } });
  }

  findMetricPoints(trialId: string): Promise<MetricPointEntity[]> {
    return this.db.getRepository(MetricPointEntity).find({ where: { trialId }, order: { step: 'ASC', name: 'ASC' } });
  }

  /** Trial counts per status for each sweep. */
  async countByStatus(sweepIds: string[], tx: EntityManager = this.db.manager): Promise<Map<string, Partial<Record<TrialStatus, number>>>> {
    const counts = new Map<string, Partial<Record<TrialStatus, number>>>();
    if (sweepIds.length === 0) return counts;
    const rows: { sweep_id: string; status: TrialStatus; n: string }[] = await tx.query(
      'SELECT sweep_id, status, count(*) AS n FROM trials WHERE sweep_id = ANY($1) GROUP BY sweep_id, status',
      [sweepIds],
    );
    for (const row of rows) {
      const c = counts.get(row.sweep_id) ?? {};
      c[row.status] = Number(row.n);
      counts.set(row.sweep_id, c);
    }
    return counts;
  }

  /** Marks the sweep completed once no trial is left to run. Caller holds the sweep's row lock. */
  /** Completes the sweep when no trial is open any more (or marks it running again); returns its per-status counts. */
  private async settleSweep(tx: EntityManager, sweep: SweepEntity, now: Date): Promise<Partial<Record<TrialStatus, number>>> {
    const counts = (await this.countByStatus([sweep.id], tx)).get(sweep.id) ?? {};
    if (sweep.status === 'completed' || sweep.status === 'cancelled') return counts;
    const open = (counts.queued ?? 0) + (counts.leased ?? 0) + (counts.running ?? 0);
    const status = open === 0 ? 'completed' : 'running';
    if (status === sweep.status) return counts;
    Object.assign(sweep, { status, updatedAt: now, finishedAt: open === 0 ? now : null });
    await tx.getRepository(SweepEntity).save(sweep);
    return counts;
  }
}
