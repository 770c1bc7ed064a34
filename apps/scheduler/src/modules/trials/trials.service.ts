import { Inject, Injectable } from '@nestjs/common';
import {
  ApiError,
  ErrorCode,
  echo,
  type MetricPoint,
  type ReportResponse,
  type TrialReport,
} from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { LivePublisher } from '../live/live.publisher.js';
import { toSweepSummary } from '../sweeps/sweep.mapper.js';
import { ReportsRepository } from './reports.repository.js';
import { toTrialSummary } from './trial.mapper.js';
import { TrialsRepository } from './trials.repository.js';

@Injectable()
export class TrialsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly trials: TrialsRepository,
    private readonly clock: Clock,
    private readonly live: LivePublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /**
   * Applies a report from the authenticated worker `callerId` to a trial it holds. Nothing is stored
   * when it reports for another worker, does not hold the trial, or sends implausible metrics.
   */
  async report(callerId: string, trialId: string, report: TrialReport): Promise<ReportResponse> {
    if (report.workerId !== callerId) {
      throw new ApiError(
        ErrorCode.Forbidden,
        `This registration is worker ${callerId}; it cannot report as worker "${echo(report.workerId)}". Send your own workerId.`,
      );
    }
    if (!isUuid(trialId)) throw this.notFound(trialId);
    const now = this.clock.now();
    const leaseExpiresAt = new Date(now.getTime() + this.config.leaseTtlMs);
    const outcome = await this.reports.recordReport(trialId, report, { now, leaseExpiresAt });
    switch (outcome.kind) {
      case 'not_found':
        throw this.notFound(trialId);
      case 'implausible':
        throw new ApiError(
          ErrorCode.ValidationFailed,
          'A metric lies outside the range its template allows; the report was not stored.',
          outcome.issues,
        );
      case 'rejected':
        if (outcome.reason === 'cancelled') return { cancel: true, decision: 'cancel', reason: 'the trial was cancelled', leaseExpiresAt: null };
        if (outcome.reason === 'finished') {
          throw new ApiError(
            ErrorCode.TrialFinished,
            `Trial ${trialId} has already finished; the report was not stored.`,
          );
        }
        throw new ApiError(
          ErrorCode.LeaseNotHeld,
          `Worker ${callerId} does not hold trial ${trialId} (its lease expired or another worker has it); the report was not stored. Stop this trial and lease a new one.`,
        );
      case 'applied': {
        this.live.trialUpdated(toTrialSummary(outcome.trial));
        if (outcome.sweep) this.live.sweepUpdated(toSweepSummary(outcome.sweep));
        return { cancel: false, decision: 'continue', reason: null, leaseExpiresAt: outcome.trial.leaseExpiresAt?.toISOString() ?? null };
      }
    }
  }

  async metrics(trialId: string): Promise<{ points: MetricPoint[] }> {
    const trial = isUuid(trialId) ? await this.trials.findById(trialId) : null;
    if (!trial) throw this.notFound(trialId);
    return { points: await this.trials.findMetricPoints(trialId) };
  }

  private notFound(trialId: string): ApiError {
    return new ApiError(ErrorCode.TrialNotFound, `No trial with id "${echo(trialId)}".`);
  }
}
