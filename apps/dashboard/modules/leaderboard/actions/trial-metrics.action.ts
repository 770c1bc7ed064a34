'use server';

import type { MetricPoint } from '@ablate/contracts';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';

export type TrialMetricsResult = { ok: true; points: MetricPoint[] } | { ok: false; message: string };

/** Every stored metric point of a trial, fetched server-side (no CORS needed for REST). */
export async function trialMetricsAction(trialId: string): Promise<TrialMetricsResult> {
  try {
    const { points } = await getSchedulerClient().getTrialMetrics(trialId);
    return { ok: true, points };
  } catch (error) {
    return { ok: false, message: describeSchedulerError(error).message };
  }
}
