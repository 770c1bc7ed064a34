'use server';

import type { SweepSummary, TrialSummary } from '@ablate/contracts';
import { DASHBOARD_ACTOR, describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';
import type { SweepAction } from '../lib/steering';

export type SteerResult = { ok: true; sweep: SweepSummary } | { ok: false; message: string };
export type CancelTrialResult = { ok: true; trial: TrialSummary } | { ok: false; message: string };

/** Pauses, resumes, stops or cancels a sweep, recorded as done by the dashboard. */
export async function steerSweepAction(sweepId: string, action: SweepAction): Promise<SteerResult> {
  const api = getSchedulerClient({ actor: DASHBOARD_ACTOR });
  try {
    const calls: Record<SweepAction, () => Promise<SweepSummary>> = {
      pause: () => api.pauseSweep(sweepId),
      resume: () => api.resumeSweep(sweepId),
      stop: () => api.stopSweep(sweepId),
      cancel: () => api.cancelSweep(sweepId),
    };
    return { ok: true, sweep: await calls[action]() };
  } catch (error) {
    return { ok: false, message: describeSchedulerError(error).message };
  }
}

/** Raises the sweep's trial budget (`maxTrials` may only grow). */
export async function raiseMaxTrialsAction(sweepId: string, maxTrials: number): Promise<SteerResult> {
  try {
    return { ok: true, sweep: await getSchedulerClient({ actor: DASHBOARD_ACTOR }).updateSweep(sweepId, { maxTrials }) };
  } catch (error) {
    return { ok: false, message: describeSchedulerError(error).message };
  }
}

/** Cancels one trial; its worker is told to stop within seconds. */
export async function cancelTrialAction(trialId: string): Promise<CancelTrialResult> {
  try {
    return { ok: true, trial: await getSchedulerClient({ actor: DASHBOARD_ACTOR }).cancelTrial(trialId) };
  } catch (error) {
    return { ok: false, message: describeSchedulerError(error).message };
  }
}
