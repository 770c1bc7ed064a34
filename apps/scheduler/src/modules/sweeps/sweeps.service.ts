import { Injectable } from '@nestjs/common';
import {
  ApiError,
  ErrorCode,
  echo,
  planSweep,
  rankTrials,
  type SweepDetail,
  type SweepSummary,
} from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { LivePublisher } from '../live/live.publisher.js';
import { toTrialSummary } from '../trials/trial.mapper.js';
import { toSweepSummary } from './sweep.mapper.js';
import { SweepsRepository } from './sweeps.repository.js';

@Injectable()
export class SweepsService {
  constructor(
    private readonly sweeps: SweepsRepository,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
  ) {}

  /** Validates the spec, expands it and stores the sweep with its queued trials. */
  async create(rawSpec: unknown): Promise<SweepSummary> {
    const { spec, trials } = planSweep(rawSpec);
    const summary = toSweepSummary(await this.sweeps.createSweepWithTrials(spec, trials, this.clock.now()));
    this.live.sweepUpdated(summary);
    return summary;
  }

  /** The newest sweeps; their counts come from the sweep rows, no trial is counted. */
  async list(): Promise<SweepSummary[]> {
    return (await this.sweeps.findRecentSweeps(200)).map(toSweepSummary);
  }

  async getDetail(id: string): Promise<SweepDetail> {
    const found = isUuid(id) ? await this.sweeps.findSweepWithTrials(id) : null;
    if (!found) throw this.notFound(id);
    return {
      sweep: { ...toSweepSummary(found.sweep), spec: found.spec },
      trials: rankTrials(found.trials.map(toTrialSummary), found.sweep.metricGoal),
    };
  }

  /** Current summary of one sweep. */
  async summary(id: string): Promise<SweepSummary> {
    const sweep = isUuid(id) ? await this.sweeps.findSweep(id) : null;
    if (!sweep) throw this.notFound(id);
    return toSweepSummary(sweep);
  }

  /** Cancels the sweep and its unfinished trials (one UPDATE), then pushes each changed trial and the sweep. */
  async cancel(id: string): Promise<SweepSummary> {
    const cancelled = isUuid(id) ? await this.sweeps.cancelSweep(id, this.clock.now()) : null;
    if (!cancelled) throw this.notFound(id);
    for (const t of cancelled.trials) this.live.trialUpdated(toTrialSummary(t));
    const summary = toSweepSummary(cancelled.sweep);
    if (cancelled.trials.length > 0) this.live.sweepUpdated(summary);
    return summary;
  }

  private notFound(id: string): ApiError {
    return new ApiError(
      ErrorCode.SweepNotFound,
      `No sweep with id "${echo(id)}". List sweeps with GET /api/sweeps.`,
    );
  }
}
