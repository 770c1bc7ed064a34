import { FINISHED_TRIAL_STATUSES, isBetter, type TrialReport } from '@ablate/contracts';
import type { TrialEntity } from './trial.entity.js';

/** Why a report cannot be applied. */
export type ReportRejection = 'not_held' | 'finished' | 'cancelled';

export interface RankingMetric {
  name: string;
  goal: 'minimize' | 'maximize';
}

/** Checks that `workerId` may report on `trial` now. */
export function checkReportAllowed(trial: TrialEntity, workerId: string): ReportRejection | null {
  if (trial.status === 'cancelled') return 'cancelled';
  if (FINISHED_TRIAL_STATUSES.includes(trial.status)) return 'finished';
  if (trial.leaseOwner !== workerId) return 'not_held';
  return null;
}

/**
 * Applies a report to the trial row (pure; the repository persists it). Repeating the same
 * report leaves the row as it was: metrics only move forward in step, the score keeps the best.
 */
export function applyReport(
  trial: TrialEntity,
  report: TrialReport,
  metric: RankingMetric,
  ctx: { now: Date; leaseExpiresAt: Date; maxRetries: number },
): void {
  trial.updatedAt = ctx.now;
  if (report.type === 'released') {
    // Handed back (worker shutting down): straight back to the queue, no retry used up.
    Object.assign(trial, { status: 'queued', leaseOwner: null, leaseExpiresAt: null, error: report.reason });
    return;
  }
  if (report.type === 'failed') {
    const retry = report.retryable && trial.attempt <= ctx.maxRetries;
    trial.status = retry ? 'queued' : 'failed';
    trial.attempt = retry ? trial.attempt + 1 : trial.attempt;
    trial.error = report.error;
    trial.leaseOwner = null;
    trial.leaseExpiresAt = null;
    trial.finishedAt = retry ? null : ctx.now;
    return;
  }
  if (report.backend) trial.backend = report.backend;
  if (trial.step === null || report.step >= trial.step) {
    trial.metrics = { ...trial.metrics, ...report.metrics };
    trial.step = report.step;
  }
  const value = report.metrics[metric.name];
  if (value !== undefined && isBetter(value, trial.score, metric.goal)) trial.score = value;
  trial.startedAt ??= ctx.now;
  if (report.type === 'completed') {
    trial.status = 'completed';
    trial.error = null;
    trial.leaseOwner = null;
    trial.leaseExpiresAt = null;
    trial.finishedAt = ctx.now;
    return;
  }
  trial.status = 'running';
  trial.leaseExpiresAt = ctx.leaseExpiresAt;
}
