import type { SweepStatus, TrialStatus } from '@ablate/contracts';

/** What the sweep page's buttons do. */
export type SweepAction = 'pause' | 'resume' | 'stop' | 'cancel';

export interface ActionInfo {
  label: string;
  /** Label while the call is in flight. */
  pending: string;
  /** The status the sweep shows until the scheduler answers (optimistic). */
  expected: SweepStatus;
  /** What it does, as the button's tooltip. */
  hint: string;
}

export const ACTIONS: Record<SweepAction, ActionInfo> = {
  pause: { label: 'Pause', pending: 'Pausing…', expected: 'paused', hint: 'Start no new trials; running ones go on.' },
  resume: { label: 'Resume', pending: 'Resuming…', expected: 'running', hint: 'Start trials again.' },
  stop: { label: 'Stop', pending: 'Stopping…', expected: 'stopping', hint: 'Let running trials finish; start no new ones.' },
  cancel: { label: 'Cancel', pending: 'Cancelling…', expected: 'cancelled', hint: 'Stop every unfinished trial now.' },
};

/** Statuses each action applies to (the scheduler answers 409 for the others). */
const ALLOWED: Record<SweepAction, readonly SweepStatus[]> = {
  pause: ['queued', 'running'],
  resume: ['paused'],
  stop: ['queued', 'running', 'paused'],
  cancel: ['queued', 'running', 'paused', 'stopping'],
};

export function canSteer(action: SweepAction, status: SweepStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** The budget can grow while the sweep may still start trials. */
export function canRaiseBudget(status: SweepStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'paused';
}

/** A trial that has not finished can be cancelled while its sweep is unfinished. */
export function canCancelTrial(trial: TrialStatus, sweep: SweepStatus): boolean {
  return ['queued', 'leased', 'running', 'paused'].includes(trial) && canSteer('cancel', sweep);
}

export function isFinishedSweep(status: SweepStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
