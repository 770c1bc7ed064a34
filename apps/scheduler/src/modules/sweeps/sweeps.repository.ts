import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SweepSpec } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { inTransaction, sql } from '../../database/transaction.js';
import { ProjectEntity } from '../projects/project.entity.js';
import type { TrialRow } from '../trials/trial-rows.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import { lockSweepHead, shiftCounts } from './sweep-head.repository.js';
import { SWEEP_HEAD_COLUMNS, countMoves, toSweepHead, type SweepHead } from './sweep-rows.js';
import { SweepEntity } from './sweep.entity.js';

const FROM_SWEEPS = 'FROM sweeps s JOIN projects p ON p.id = s.project_id';

/** The only place that reads and writes sweeps (and creates projects on first use). */
@Injectable()
export class SweepsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly trials: TrialsRepository,
  ) {}

  /** Creates the project if new, the sweep (every trial counted as queued) and all its trials, in one transaction. */
  async createSweepWithTrials(
    spec: SweepSpec,
    trialParams: Record<string, unknown>[],
    now: Date,
  ): Promise<SweepHead> {
    return this.db.transaction(async (tx) => {
      await tx
        .createQueryBuilder()
        .insert()
        .into(ProjectEntity)
        .values({ slug: spec.project })
        .orIgnore()
        .execute();
      const project = await tx.getRepository(ProjectEntity).findOneByOrFail({ slug: spec.project });
      const sweep = tx.getRepository(SweepEntity).create({
        projectId: project.id,
        name: spec.name,
        template: spec.template,
        spec,
        metricName: spec.metric.name,
        metricGoal: spec.metric.goal,
        maxRetries: spec.maxRetries,
        status: 'queued',
        trialCount: trialParams.length,
        queuedCount: trialParams.length,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      });
      await tx.getRepository(SweepEntity).insert(sweep);
      await this.trials.insertForSweep(tx, sweep.id, trialParams, now);
      const rows = await sql(tx, `SELECT ${SWEEP_HEAD_COLUMNS} ${FROM_SWEEPS} WHERE s.id = $1`, [sweep.id]);
      return toSweepHead(rows[0]!);
    });
  }

  async findSweep(id: string): Promise<SweepHead | null> {
    const rows = await sql(this.db.manager, `SELECT ${SWEEP_HEAD_COLUMNS} ${FROM_SWEEPS} WHERE s.id = $1`, [
      id,
    ]);
    return rows[0] ? toSweepHead(rows[0]) : null;
  }

  /** The sweep with its spec and every trial, read from one snapshot so the counts agree with the rows. */
  async findSweepWithTrials(
    id: string,
  ): Promise<{ sweep: SweepHead; spec: SweepSpec; trials: TrialRow[] } | null> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const rows = await sql(tx, `SELECT ${SWEEP_HEAD_COLUMNS}, s.spec ${FROM_SWEEPS} WHERE s.id = $1`, [id]);
      if (!rows[0]) return null;
      return {
        sweep: toSweepHead(rows[0]),
        spec: rows[0].spec as SweepSpec,
        trials: await this.trials.findLeaderboardRows(id, tx),
      };
    });
  }

  async findRecentSweeps(limit: number): Promise<SweepHead[]> {
    const rows = await sql(
      this.db.manager,
      `SELECT ${SWEEP_HEAD_COLUMNS} ${FROM_SWEEPS} ORDER BY s.created_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => toSweepHead(r));
  }

  /**
   * Cancels the sweep and every trial that has not finished, in one transaction: sweep row first,
   * then its open trials in one UPDATE. Null when the sweep does not exist; no trials when it had
   * already finished.
   */
  async cancelSweep(id: string, now: Date): Promise<{ sweep: SweepHead; trials: TrialRow[] } | null> {
    return inTransaction(this.db, async (tx) => {
      const sweep = await lockSweepHead(tx, id);
      if (!sweep) return null;
      if (sweep.status === 'completed' || sweep.status === 'cancelled') return { sweep, trials: [] };
      await sql(tx, `UPDATE sweeps SET status = 'cancelled', finished_at = $2 WHERE id = $1`, [id, now]);
      const cancelled = await this.trials.cancelOpenTrials(tx, id, now);
      const moves = countMoves(cancelled.map(({ from }) => ({ from, to: 'cancelled' })));
      return { sweep: await shiftCounts(tx, id, moves, now), trials: cancelled.map((c) => c.trial) };
    });
  }
}
