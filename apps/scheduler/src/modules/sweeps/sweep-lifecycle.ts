import type { SweepStatus, TrialStatus } from '@ablate/contracts';
import type { SweepHead } from './sweep-rows.js';

/**
 * The sweep life cycle as pure rules; the repositories apply them under the sweep's row lock.
 *
 *   queued ──first lease──► running ◄──resume── paused   (pause: no new leases, running trials go on)
 *      │                      │   └──pause──────►  ▲
 *      │                      ├──stop──► stopping ─┴─(nothing leased or running)──► completed "stopped by X"
 *      └──────────────────────┴──(nothing left to run or propose)──► completed | failed (failures and no result)
 *   any unfinished ──cancel──► cancelled;  more than maxFailures failed ──► failed
 */
export const FINISHED_SWEEP_STATUSES: readonly SweepStatus[] = ['completed', 'failed', 'cancelled'];

export function isFinished(status: SweepStatus): boolean {
  return FINISHED_SWEEP_STATUSES.includes(status);
}

/** Trials queued, leased or running. */
export function openTrials(counts: Record<TrialStatus, number>): number {
  return counts.queued + counts.leased + counts.running;
}

/** More trials failed than the sweep tolerates. */
export function failuresExceeded(head: SweepHead): boolean {
  return head.maxFailures !== null && head.counts.failed > head.maxFailures;
}

/** One step of a sweep's follow-up, run after a change under its lock until `done`. */
export type FollowUpStep =
  /** Too many failures: the sweep fails, everything unfinished is cancelled. */
  | 'fail'
  /** Stopping: queued and paused trials will never run; cancel them. */
  | 'cancel_leftovers'
  /** Ask the search for trials (TPE after each result; any method once nothing is open). */
  | 'refill'
  /** Only ASHA-paused trials are left: promote the best, prune the rest (settleAsha). */
  | 'settle_asha'
  /** Paused trials that no rung promotes (settling changed nothing): prune them. */
  | 'prune_paused'
  /** Nothing left to run or propose: completed, or failed when every trial failed. */
  | 'finish'
  | 'done';

/** What the follow-up already did in this transaction. */
export interface FollowUpProgress {
  refilled: boolean;
  ashaStalled: boolean;
}

export function nextFollowUpStep(head: SweepHead, progress: FollowUpProgress): FollowUpStep {
  if (isFinished(head.status)) return 'done';
  if (failuresExceeded(head)) return 'fail';
  const c = head.counts;
  const open = openTrials(c);
  if (head.status === 'stopping') {
    if (c.queued > 0 || c.paused > 0) return 'cancel_leftovers';
    return c.leased + c.running === 0 ? 'finish' : 'done';
  }
  const canPropose = head.trialCount < head.trialBudget && (head.method === 'tpe' || open === 0);
  if (!progress.refilled && canPropose) return 'refill';
  if (open > 0) return 'done';
  if (c.paused > 0) return progress.ashaStalled ? 'prune_paused' : 'settle_asha';
  return 'finish';
}

/** Whether a change left the sweep with follow-up work (checked on the head a write returned). */
export function needsFollowUp(head: SweepHead): boolean {
  return nextFollowUpStep(head, { refilled: false, ashaStalled: false }) !== 'done';
}

/** The most common error among a sweep's failed trials, and how many had it. */
export interface CommonError {
  error: string;
  n: number;
}

function describe(common: CommonError | null, of: number): string {
  return common ? `; most common error (${common.n} of ${of}): ${common.error}` : '';
}

/** Why a sweep fails past `maxFailures`. */
export function failureReason(head: SweepHead, common: CommonError | null): string {
  return `${head.counts.failed} trials failed, more than maxFailures (${head.maxFailures ?? 0})${describe(common, head.counts.failed)}`;
}

/**
 * How a sweep with nothing left to run ends. Without a single completed (or pruned) trial and with
 * failures it is `failed`, also when the rest were cancelled or it was stopped: a green "completed"
 * with no result and only errors would hide what went wrong (issue 10).
 */
export function finishOutcome(head: SweepHead, common: CommonError | null): { status: 'completed' | 'failed'; reason: string | null } {
  const c = head.counts;
  if (head.trialCount === 0)
    return { status: 'failed', reason: 'the search proposed no trial: the template refused every configuration it drew; check the parameter ranges against the template' };
  if (c.failed === head.trialCount) return { status: 'failed', reason: `every trial failed${describe(common, head.trialCount)}` };
  if (c.failed > 0 && c.completed === 0 && c.pruned === 0) {
    const stopped = head.status === 'stopping' && head.reason ? ` (${head.reason})` : '';
    return { status: 'failed', reason: `no trial completed: ${c.failed} failed, ${c.cancelled} cancelled${stopped}${describe(common, c.failed)}` };
  }
  if (head.status === 'stopping') return { status: 'completed', reason: head.reason };
  return { status: 'completed', reason: null };
}

/** What a user may do to a sweep. */
export type Steering = 'pause' | 'resume' | 'stop' | 'cancel' | 'raise' | 'cancel_trial';

/** `apply`, `noop` (already so: answered with the sweep as it is, nothing recorded), or refused with why (409). */
export type SteeringCheck = { kind: 'apply' } | { kind: 'noop' } | { kind: 'refused'; why: string };

const APPLY: SteeringCheck = { kind: 'apply' };
const NOOP: SteeringCheck = { kind: 'noop' };

export function checkSteering(action: Steering, head: Pick<SweepHead, 'status' | 'reason'>): SteeringCheck {
  const { status } = head;
  if (isFinished(status)) {
    const because = head.reason ? ` (${head.reason})` : '';
    return { kind: 'refused', why: `it has finished${because} and can no longer be paused, resumed, stopped, cancelled or given more trials. Launch a new sweep instead.` };
  }
  const stopping: SteeringCheck = {
    kind: 'refused',
    why: 'its running trials finish and no new ones start, so it cannot be paused, resumed or given more trials. Cancel it to end them now.',
  };
  switch (action) {
    case 'pause':
      return status === 'paused' ? NOOP : status === 'stopping' ? stopping : APPLY;
    case 'resume':
      return status === 'paused' ? APPLY : status === 'stopping' ? stopping : NOOP;
    case 'stop':
      return status === 'stopping' ? NOOP : APPLY;
    case 'raise':
      return status === 'stopping' ? stopping : APPLY;
    case 'cancel':
    case 'cancel_trial':
      return APPLY;
  }
}
