import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiError, ErrorCode, echo, type ReportResponse, type TrialMetrics, type TrialMetricsQuery, type TrialReport } from '@ablate/contracts';
import { Clock } from '../../common/clock.js';
import { logText } from '../../common/to-api-error.js';
import { isUuid } from '../../common/zod-body.pipe.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../../config/scheduler.config.js';
import { ChangePublisher } from '../sweeps/change.publisher.js';
import { SweepFollowUps } from '../sweeps/sweep-follow-up.repository.js';
import { needsFollowUp } from '../sweeps/sweep-lifecycle.js';
import { TrialLogsService } from '../trial-logs/trial-logs.service.js';
import { WorkersService } from '../workers/workers.service.js';
import { ReportsRepository, type ReportOutcome } from './reports.repository.js';
import type { TrialRow } from './trial-rows.js';
import { trialNotFound } from './trial-not-found.js';
import { TrialsRepository } from './trials.repository.js';

@Injectable()
export class TrialsService {
  private readonly logger = new Logger(TrialsService.name);

  constructor(
    private readonly reports: ReportsRepository,
    private readonly trials: TrialsRepository,
    private readonly followUps: SweepFollowUps,
    private readonly clock: Clock,
    private readonly publisher: ChangePublisher,
    private readonly workers: WorkersService,
    private readonly trialLogs: TrialLogsService,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /**
   * Applies a report from the authenticated worker `callerId` to a trial it holds. Nothing is stored
   * when it reports for another worker, does not hold the trial, or sends implausible metrics. The
   * answer carries the decision: go on, or stop because the trial was cancelled, pruned or paused.
   * A `completed` report may carry the trial's last epoch (`lastEpoch`): applied first, as its own
   * report would be, and when that stops the trial its answer stands and the completion is not
   * applied. An applied completion with `nextLease` also leases the worker its next trial (`next`).
   * Both spare a call per trial; the leases and writes are the usual ones, in the usual lock order.
   * Its log tail (`logs`) is stored first, as `POST /api/trials/:id/logs` stores it (lines already
   * stored are not stored again, so a replayed completion adds none).
   */
  async report(callerId: string, trialId: string, report: TrialReport): Promise<ReportResponse> {
    if (report.workerId !== callerId) {
      throw new ApiError(
        ErrorCode.Forbidden,
        `This registration is worker ${callerId}; it cannot report as worker "${echo(report.workerId)}". Send your own workerId.`,
      );
    }
    if (!isUuid(trialId)) throw trialNotFound(trialId);
    if (report.type === 'completed' && report.logs) await this.trialLogs.storeBeforeReport(callerId, trialId, report.logs);
    let done: { answer: ReportResponse; applied: boolean } | null = null;
    if (report.type === 'completed' && report.lastEpoch) {
      const { step, metrics } = report.lastEpoch;
      const epoch: TrialReport = { type: 'epoch', workerId: report.workerId, step, metrics, ...(report.backend ? { backend: report.backend } : {}) };
      done = await this.applyFolded(callerId, trialId, epoch, report);
      if (!done) {
        const first = await this.apply(callerId, trialId, epoch);
        if (first.answer.cancel) return first.answer;
      }
    }
    const { answer, applied } = done ?? (await this.apply(callerId, trialId, report));
    // After the follow-up, so a TPE sweep's proposal for the freed slot is already queued.
    if (applied && report.type === 'completed' && report.nextLease) answer.next = await this.workers.leaseNext(callerId, report.nextLease);
    return answer;
  }

  /** Records one report, publishes what it changed (after the sweep's follow-up) and answers it. */
  private async apply(callerId: string, trialId: string, report: TrialReport): Promise<{ answer: ReportResponse; applied: boolean }> {
    const now = this.clock.now();
    const outcome = await this.reports.recordReport(trialId, report, { now, leaseExpiresAt: new Date(now.getTime() + this.config.leaseTtlMs) });
    return this.settle(callerId, trialId, outcome, now);
  }

  /** The last epoch and the completion in one write (`recordFolded`); null when they go one by one. */
  private async applyFolded(callerId: string, trialId: string, epoch: TrialReport, completion: TrialReport): Promise<{ answer: ReportResponse; applied: boolean } | null> {
    const now = this.clock.now();
    const outcome = await this.reports.recordFolded(trialId, epoch, completion, { now, leaseExpiresAt: new Date(now.getTime() + this.config.leaseTtlMs) });
    return outcome ? this.settle(callerId, trialId, outcome, now) : null;
  }

  private async settle(callerId: string, trialId: string, outcome: ReportOutcome, now: Date): Promise<{ answer: ReportResponse; applied: boolean }> {
    if (outcome.kind === 'applied') await this.publishWithFollowUp(outcome, now);
    return { answer: this.answer(callerId, trialId, outcome), applied: outcome.kind === 'applied' };
  }

  /** The trial's curves; `query` may ask only for the points after a step (`afterStep`), as a live page does. */
  async metrics(trialId: string, query: TrialMetricsQuery = {}): Promise<TrialMetrics> {
    const trial = isUuid(trialId) ? await this.trials.findById(trialId) : null;
    if (!trial) throw trialNotFound(trialId);
    return { points: await this.trials.findMetricPoints(trialId, query.afterStep) };
  }

  /**
   * Publishes what the report changed and, when it left the sweep with follow-up work (a trial
   * finished or paused: propose, settle ASHA, complete or fail the sweep), runs that first. The
   * report is stored either way: a follow-up that fails is logged and the reaper runs it later.
   */
  private async publishWithFollowUp(outcome: Extract<ReportOutcome, { kind: 'applied' }>, now: Date): Promise<void> {
    const { trial, sweep, changes } = outcome;
    if (sweep && !['leased', 'running'].includes(trial.status) && needsFollowUp(sweep)) {
      try {
        changes.merge(await this.followUps.run(sweep.id, now));
      } catch (err) {
        this.logger.warn(`Sweep ${sweep.id}: follow-up after trial ${trial.id} failed; the reaper retries it: ${logText(err, 'line')}`);
      }
    }
    this.publisher.publish(changes);
  }

  private answer(callerId: string, trialId: string, outcome: ReportOutcome): ReportResponse {
    switch (outcome.kind) {
      case 'not_found':
        throw trialNotFound(trialId);
      case 'implausible':
        throw new ApiError(ErrorCode.ValidationFailed, 'A metric lies outside the range its template allows; the report was not stored.', outcome.issues);
      case 'rejected':
        return this.refusal(callerId, trialId, outcome);
      case 'applied':
        return decisionOf(outcome.trial);
    }
  }

  /** A refused report: stop with the decision that ended the trial, or 409 (finished, not held). */
  private refusal(callerId: string, trialId: string, outcome: Extract<ReportOutcome, { kind: 'rejected' }>): ReportResponse {
    switch (outcome.reason) {
      case 'cancelled':
        return stop('cancel', outcome.statusReason ?? 'the trial was cancelled');
      case 'pruned':
        return stop('prune', outcome.statusReason ?? 'the pruner stopped the trial');
      case 'paused':
        return stop('pause', outcome.statusReason ?? 'the pruner paused the trial');
      case 'finished':
        throw new ApiError(ErrorCode.TrialFinished, `Trial ${trialId} has already finished; the report was not stored.`);
      case 'not_held':
        throw new ApiError(
          ErrorCode.LeaseNotHeld,
          `Worker ${callerId} does not hold trial ${trialId} (its lease expired or another worker has it); the report was not stored. Stop this trial and lease a new one.`,
        );
    }
  }
}

function stop(decision: 'cancel' | 'prune' | 'pause', reason: string): ReportResponse {
  return { cancel: true, decision, reason, leaseExpiresAt: null };
}

/** The answer to an applied report: a pruner's pause or prune, or go on. */
function decisionOf(trial: TrialRow): ReportResponse {
  if (trial.status === 'paused') return stop('pause', trial.statusReason ?? 'paused at a rung');
  if (trial.status === 'pruned') return stop('prune', trial.statusReason ?? 'pruned');
  return { cancel: false, decision: 'continue', reason: null, leaseExpiresAt: trial.leaseExpiresAt?.toISOString() ?? null };
}
