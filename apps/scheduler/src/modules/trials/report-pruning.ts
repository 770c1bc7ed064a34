import type { TrialReport } from '@ablate/contracts';
import { ashaOnRung, medianVerdict, prunerCheck, type RungEntry } from '../search/index.js';
import type { StepBest } from './pruning.repository.js';
import type { TrialRow } from './trial-rows.js';
import { applyVerdict, type ReportRules } from './trial-state.js';

/**
 * What the pruner needs before a report is written, decided from the trial before and after it
 * (pure): nothing; the other trials' bests at this step (median: one range read, then the write);
 * or one ASHA rung (the report moves to the locked path, since a rung's quota is shared).
 */
export type PruningStep = { kind: 'none' } | { kind: 'median'; step: number; best: number } | { kind: 'asha'; rung: number };

const NONE: PruningStep = { kind: 'none' };

export function pruningStep(rules: ReportRules, before: TrialRow, next: TrialRow, report: TrialReport): PruningStep {
  if (!rules.pruner || (report.type !== 'epoch' && report.type !== 'completed') || next.score === null) return NONE;
  const check = prunerCheck(rules.pruner, before.step ?? 0, report.step);
  switch (check.kind) {
    case 'none':
      return NONE;
    case 'median':
      // A completed trial has nothing left to stop.
      return report.type === 'epoch' && next.status === 'running' ? { kind: 'median', step: check.step, best: next.score } : NONE;
    case 'asha':
      return { kind: 'asha', rung: check.rung };
  }
}

/** The row a median sweep's report adds to `trial_step_bests` (every scored report, warm-up included). */
export function stepBestOf(rules: ReportRules, next: TrialRow, report: TrialReport): StepBest | undefined {
  if (rules.pruner?.type !== 'median' || next.score === null) return undefined;
  if (report.type !== 'epoch' && report.type !== 'completed') return undefined;
  return { sweepId: next.sweepId, step: report.step, best: next.score };
}

/** Applies the median rule to `next` given the peers' bests at its step. */
export function applyMedian(rules: ReportRules, next: TrialRow, step: { step: number; best: number }, peers: readonly number[], now: Date): void {
  if (rules.pruner?.type !== 'median') return;
  applyVerdict(next, medianVerdict(rules.pruner, rules.metric, step, peers), now);
}

/**
 * Applies ASHA at rung `k` to `next` (the arrival), given the rung as stored: returns the rung to
 * write back and the paused trials its arrival promotes.
 */
export function applyAsha(
  rules: ReportRules,
  next: TrialRow,
  k: number,
  rung: readonly RungEntry[],
  final: boolean,
  now: Date,
): { rung: RungEntry[]; promote: string[] } {
  if (rules.pruner?.type !== 'asha' || next.score === null) return { rung: [...rung], promote: [] };
  const out = ashaOnRung(rules.pruner, rules.metric, k, rung, { trialId: next.id, value: next.score, final });
  applyVerdict(next, out.verdict, now);
  return { rung: out.rung, promote: out.verdict.promote };
}
