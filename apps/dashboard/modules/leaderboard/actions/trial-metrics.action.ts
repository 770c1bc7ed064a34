'use server';

import type { MetricPoint } from '@ablate/contracts';
import { describeSchedulerError, getSchedulerClient } from '@/modules/scheduler/scheduler-client';

export type TrialMetricsResult = { ok: true; points: MetricPoint[] } | { ok: false; message: string };

/** A trial's stored metric points (only those after `afterStep` when given), fetched server-side (no CORS needed for REST). */
export async function trialMetricsAction(trialId: string, afterStep?: number): Promise<TrialMetricsResult> {
  try {
    const { points } = await getSchedulerClient().getTrialMetrics(trialId, afterStep === undefined ? {} : { afterStep });
    return { ok: true, points };
  } catch (error) {
    return { ok: false, message: describeSchedulerError(error).message };
  }
}
