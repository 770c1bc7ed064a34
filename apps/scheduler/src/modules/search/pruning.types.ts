import type { Goal } from '@ablate/contracts';

/** What a trial does after an epoch report. */
export type TrialDecision = 'continue' | 'pause' | 'prune';

/** A pruner's answer to one epoch report. */
export interface PrunerVerdict {
  /** What the reporting trial does next; the answer to its report carries it to the worker. */
  decision: TrialDecision;
  /** Why it pauses or is pruned, shown on the trial; absent with `continue`. */
  reason?: string;
  /** Paused trials to resume now (ASHA promotions), best first; they go back to the queue and resume from their checkpoint. */
  promote: string[];
}

/** The sweep's ranking metric, which pruners compare and name in their reasons. */
export interface PrunedMetric {
  /** Metric name, e.g. `val_acc`. */
  name: string;
  /** Whether lower or higher is better. */
  goal: Goal;
}

/**
 * What the report path must load before asking the pruner about a report, so it loads only that:
 * nothing; the other trials' best values at this step (median); or one ASHA rung.
 */
export type PrunerCheck =
  | { kind: 'none' }
  | { kind: 'median'; step: number }
  | { kind: 'asha'; rung: number; rungStep: number };

/** One trial's record in an ASHA rung (a row per trial and rung; O(rung size) to load). */
export interface RungEntry {
  /** The trial. */
  trialId: string;
  /** Its best value of the sweep's metric when it reached the rung. */
  value: number;
  /**
   * `promoted`: went on past the rung. `paused`: waits at the rung for a promotion. `stopped`: will
   * not go on (it ended at the rung, or was pruned, cancelled or failed since).
   */
  status: 'promoted' | 'paused' | 'stopped';
}

/** Continue, with no promotions: the common answer. */
export const CONTINUE: PrunerVerdict = { decision: 'continue', promote: [] };

/** `a` before `b` when it is better under `goal` (ties keep their order). */
export function byBest(goal: Goal): (a: { value: number }, b: { value: number }) => number {
  return goal === 'minimize' ? (a, b) => a.value - b.value : (a, b) => b.value - a.value;
}
