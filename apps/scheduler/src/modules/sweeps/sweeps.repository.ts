import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SweepSpec } from '@ablate/contracts';
import { DataSource, In, Not } from 'typeorm';
import { inTransaction } from '../../database/transaction.js';
import { ProjectEntity } from '../projects/project.entity.js';
import { TrialEntity } from '../trials/trial.entity.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import { SweepEntity } from './sweep.entity.js';

/** The only place that reads and writes sweeps (and creates projects on first use). */
@Injectable()
export class SweepsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly trials: TrialsRepository,
  ) {}

  /** Creates the project if new, the sweep and all its trials, in one transaction. */
  async createSweepWithTrials(spec: SweepSpec, trialParams: Record<string, unknown>[], now: Date): Promise<SweepEntity> {
    return this.db.transaction(async (tx) => {
      await tx.createQueryBuilder().insert().into(ProjectEntity).values({ slug: spec.project }).orIgnore().execute();
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
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      });
      await tx.getRepository(SweepEntity).save(sweep);
      await this.trials.insertForSweep(tx, sweep.id, trialParams, now);
      sweep.project = project;
      return sweep;
    });
  }

  findSweep(id: string): Promise<SweepEntity | null> {
    return this.db.getRepository(SweepEntity).findOne({ where: { id }, relations: { project: true } });
  }

  findRecentSweeps(limit: number): Promise<SweepEntity[]> {
    return this.db.getRepository(SweepEntity).find({ relations: { project: true }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Cancels the sweep and every trial that has not finished, in one transaction. */
  async cancelSweep(id: string, now: Date): Promise<TrialEntity[]> {
    return inTransaction(this.db, async (tx) => {
      const sweep = await tx.getRepository(SweepEntity).createQueryBuilder('s').where('s.id = :id', { id }).setLock('pessimistic_write').getOneOrFail();
      if (sweep.status === 'completed' || sweep.status === 'cancelled') return [];
      await tx.getRepository(SweepEntity).update({ id }, { status: 'cancelled', updatedAt: now, finishedAt: now });
      const open = await tx.getRepository(TrialEntity).find({ where: { sweepId: id, status: Not(In(['completed', 'failed', 'pruned', 'cancelled'])) } });
      for (const t of open) Object.assign(t, { status: 'cancelled', leaseOwner: null, leaseExpiresAt: null, finishedAt: now, updatedAt: now });
      await tx.getRepository(TrialEntity).save(open, { chunk: 500 });
      return open;
    });
  }
}
