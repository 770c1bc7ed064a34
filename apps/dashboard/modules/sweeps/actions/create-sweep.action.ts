'use server';

import { ApiError, ErrorCode, type SweepSpecInput, type ValidationIssue } from '@ablate/contracts';
import { redirect } from 'next/navigation';
import { DASHBOARD_ACTOR, describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';

/** Why a sweep was not created; on success the action redirects to the sweep instead. */
export interface CreateSweepFailure {
  message: string;
  /** Failing fields by dotted path, for `validation_failed`. */
  issues: ValidationIssue[];
}

/** Creates the sweep through the scheduler (which validates it) and opens its leaderboard. */
export async function createSweepAction(spec: SweepSpecInput): Promise<CreateSweepFailure> {
  let sweepId: string;
  try {
    sweepId = (await getSchedulerClient({ actor: DASHBOARD_ACTOR }).createSweep(spec)).id;
  } catch (error) {
    if (error instanceof ApiError && error.code === ErrorCode.ValidationFailed) {
      return { message: error.message, issues: error.issues ?? [] };
    }
    return { message: describeSchedulerError(error).message, issues: [] };
  }
  // Outside the try: redirect() works by throwing.
  redirect(`/sweeps/${encodeURIComponent(sweepId)}`);
}
