import {
  FINISHED_TRIAL_STATUSES,
  implausibleMetrics,
  isBetter,
  type TrialReport,
  type ValidationIssue,
} from '@ablate/contracts';
import type { TrialRow } from './trial-rows.js';

/** Why a report cannot be applied. */
export type ReportRejection = 'not_held' | 'finished' | 'cancelled';

export interface RankingMetric {
  name: string;
  goal: 'minimize' | 'maximize';
}

/** Checks that `workerId` may report on `trial` now. */
export function checkReportAllowed(trial: TrialRow, workerId: string): ReportRejection | null {
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
  trial: TrialRow,
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

/** What the sweep says about its trials' reports (immutable once the sweep exists). */
export interface ReportRules {
  template: string;
  metric: RankingMetric;
  maxRetries: number;
}

export type ReportDecision =
  | { kind: 'rejected'; reason: ReportRejection }
  | { kind: 'implausible'; issues: ValidationIssue[] }
  | { kind: 'apply'; next: TrialRow };

/**
 * Decides a report against the trial as locked: refused (not the holder, finished, cancelled),
 * refused as implausible (a metric outside its template's range, e.g. val_acc 1e308, must never
 * become a score), or the trial's next state. `trial` itself is left as it was.
 */
export function decideReport(
  trial: TrialRow,
  report: TrialReport,
  rules: ReportRules,
  ctx: { now: Date; leaseExpiresAt: Date },
): ReportDecision {
  const rejection = checkReportAllowed(trial, report.workerId);
  if (rejection) return { kind: 'rejected', reason: rejection };
  if (report.type === 'epoch' || report.type === 'completed') {
    const bad = implausibleMetrics(rules.template, report.metrics);
    if (bad.length > 0)
      return {
        kind: 'implausible',
        issues: bad.map((b) => ({ path: `metrics.${b.name}`, message: b.message })),
      };
  }
  const next = { ...trial };
  applyReport(next, report, rules.metric, { ...ctx, maxRetries: rules.maxRetries });
  return { kind: 'apply', next };
}
