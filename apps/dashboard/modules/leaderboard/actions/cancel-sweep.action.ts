'use server';

import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';

/** Cancels a sweep; the new status reaches the page as a `sweep:updated` event. Returns an error message, or null. */
export async function cancelSweepAction(sweepId: string): Promise<string | null> {
  try {
    await getSchedulerClient().cancelSweep(sweepId);
    return null;
  } catch (error) {
    return describeSchedulerError(error).message;
  }
}
