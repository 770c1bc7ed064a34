import {
  FINISHED_TRIAL_STATUSES,
  implausibleMetrics,
  isBetter,
  type PrunerSpec,
  type TrialReport,
  type ValidationIssue,
} from '@ablate/contracts';
import type { PrunerVerdict } from '../search/index.js';
import type { TrialRow } from './trial-rows.js';

/**
 * Why a report cannot be applied. `cancelled`, `pruned` and `paused` are answered with the
 * decision (stop, and for `paused` keep the checkpoint), so a report retried after its answer was
 * lost hears the same thing; `finished` (completed or failed) and `not_held` are 409s.
 */
export type ReportRejection = 'not_held' | 'finished' | 'cancelled' | 'pruned' | 'paused';

export interface RankingMetric {
  name: string;
  goal: 'minimize' | 'maximize';
}

/** Checks that `workerId` may report on `trial` now. */
export function checkReportAllowed(trial: TrialRow, workerId: string): ReportRejection | null {
  if (trial.status === 'cancelled') return 'cancelled';
  if (trial.status === 'pruned') return 'pruned';
  if (trial.status === 'paused') return 'paused';
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
    Object.assign(trial, { status: 'queued', leaseOwner: null, leaseExpiresAt: null, error: report.reason, errorCode: null, statusReason: null });
    return;
  }
  if (report.type === 'failed') {
    const retry = report.retryable && trial.attempt <= ctx.maxRetries;
    trial.status = retry ? 'queued' : 'failed';
    trial.attempt = retry ? trial.attempt + 1 : trial.attempt;
    trial.error = report.error;
    trial.errorCode = report.code ?? null;
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
  if (value !== undefined && isBetter(value, trial.score, metric.goal)) {
    trial.score = value;
    // a completed report's metrics may belong to an earlier epoch than its step (the best weights restored)
    trial.scoreStep = report.type === 'completed' ? (report.scoreStep ?? report.step) : report.step;
  }
  trial.startedAt ??= ctx.now;
  if (report.type === 'completed') {
    trial.status = 'completed';
    trial.error = null;
    trial.errorCode = null;
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
  /** Early stopping; null for none. */
  pruner: PrunerSpec | null;
}

/**
 * Applies a pruner's verdict to a running trial's next state: `pause` (ASHA: the lease ends, the
 * checkpoint stays, a promotion requeues it) or `prune` (it ends `pruned`), each with its reason.
 */
export function applyVerdict(next: TrialRow, verdict: PrunerVerdict, now: Date): void {
  if (verdict.decision === 'continue' || next.status !== 'running') return;
  next.status = verdict.decision === 'pause' ? 'paused' : 'pruned';
  next.statusReason = verdict.reason ?? null;
  next.leaseOwner = null;
  next.leaseExpiresAt = null;
  if (next.status === 'pruned') next.finishedAt = now;
}

export type ReportDecision =
  | { kind: 'rejected'; reason: ReportRejection; statusReason: string | null }
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
  if (rejection) return { kind: 'rejected', reason: rejection, statusReason: trial.statusReason };
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
