import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, planSweep, rankTrials, type SweepDetail, type SweepSummary, type TrialStatus } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { LivePublisher } from '../live/live.publisher.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { TrialsRepository } from '../trials/trials.repository.js';
import type { SweepEntity } from './sweep.entity.js';
import { toSweepSummary } from './sweep.mapper.js';
import { SweepsRepository } from './sweeps.repository.js';

@Injectable()
export class SweepsService {
  constructor(
    private readonly sweeps: SweepsRepository,
    private readonly trials: TrialsRepository,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
  ) {}

  /** Validates the spec, expands it and stores the sweep with its queued trials. */
  async create(rawSpec: unknown): Promise<SweepSummary> {
    const { spec, trials } = planSweep(rawSpec);
    const sweep = await this.sweeps.createSweepWithTrials(spec, trials, this.clock.now());
    const summary = toSweepSummary(sweep, { queued: trials.length });
    this.live.sweepUpdated(summary);
    return summary;
  }

  async list(): Promise<SweepSummary[]> {
    const sweeps = await this.sweeps.findRecentSweeps(200);
    const counts = await this.trials.countByStatus(sweeps.map((s) => s.id));
    return sweeps.map((s) => toSweepSummary(s, counts.get(s.id) ?? {}));
  }

  async getDetail(id: string): Promise<SweepDetail> {
    const sweep = await this.findOrThrow(id);
    const rows = await this.trials.findLeaderboardRows(id);
    const counts: Partial<Record<TrialStatus, number>> = {};
    for (const t of rows) counts[t.status] = (counts[t.status] ?? 0) + 1;
    return {
      sweep: { ...toSweepSummary(sweep, counts), spec: sweep.spec },
      trials: rankTrials(rows.map(toTrialSummary), sweep.metricGoal),
    };
  }

  /** Current summary of one sweep (for live pushes). */
  async summary(id: string): Promise<SweepSummary> {
    const sweep = await this.findOrThrow(id);
    const counts = await this.trials.countByStatus([id]);
    return toSweepSummary(sweep, counts.get(id) ?? {});
  }

  async cancel(id: string): Promise<SweepSummary> {
    await this.findOrThrow(id);
    const cancelled = await this.sweeps.cancelSweep(id, this.clock.now());
    for (const t of cancelled) this.live.trialUpdated(toTrialSummary(t));
    const summary = await this.summary(id);
    this.live.sweepUpdated(summary);
    return summary;
  }

  private async findOrThrow(id: string): Promise<SweepEntity> {
    const sweep = isUuid(id) ? await this.sweeps.findSweep(id) : null;
    if (!sweep) throw new ApiError(ErrorCode.SweepNotFound, `No sweep with id "${id}".`);
    return sweep;
  }
}
