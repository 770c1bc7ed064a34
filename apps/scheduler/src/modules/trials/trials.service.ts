import { Inject, Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, type MetricPoint, type ReportResponse, type TrialReport } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { LivePublisher } from '../live/live.publisher.js';
import { toSweepSummary } from '../sweeps/sweep.mapper.js';
import { toTrialSummary } from './trial.mapper.js';
import { TrialsRepository } from './trials.repository.js';

@Injectable()
export class TrialsService {
  constructor(
    private readonly trials: TrialsRepository,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /** Applies a worker's report to a trial it holds. Nothing is stored when it does not hold it. */
  async report(trialId: string, report: TrialReport): Promise<ReportResponse> {
    if (!isUuid(trialId)) throw this.notFound(trialId);
    const now = this.clock.now();
    const leaseExpiresAt = new Date(now.getTime() + this.config.leaseTtlMs);
    const outcome = await this.trials.recordReport(trialId, report, { now, leaseExpiresAt });
    switch (outcome.kind) {
      case 'not_found':
        throw this.notFound(trialId);
      case 'rejected':
        if (outcome.reason === 'cancelled') return { cancel: true, leaseExpiresAt: null };
        if (outcome.reason === 'finished') {
          throw new ApiError(ErrorCode.TrialFinished, `Trial ${trialId} has already finished; the report was not stored.`);
        }
        throw new ApiError(
          ErrorCode.LeaseNotHeld,
          `Worker ${report.workerId} does not hold trial ${trialId} (its lease expired or another worker has it); the report was not stored. Stop this trial and lease a new one.`,
        );
      case 'applied': {
        this.live.trialUpdated(toTrialSummary(outcome.trial));
        if (outcome.sweepCounts) this.live.sweepUpdated(toSweepSummary(outcome.sweep, outcome.sweepCounts));
        return { cancel: false, leaseExpiresAt: outcome.trial.leaseExpiresAt?.toISOString() ?? null };
      }
    }
  }

  async metrics(trialId: string): Promise<{ points: MetricPoint[] }> {
    const trial = isUuid(trialId) ? await this.trials.findById(trialId) : null;
    if (!trial) throw this.notFound(trialId);
    const points = await this.trials.findMetricPoints(trialId);
    return { points: points.map((p) => ({ step: p.step, name: p.name, value: p.value })) };
  }

  private notFound(trialId: string): ApiError {
    return new ApiError(ErrorCode.TrialNotFound, `No trial with id "${trialId}".`);
  }
}
