import type { LeasedTrial, TrialSummary } from '@ablate/contracts';
import type { TrialRow } from './trial-rows.js';

export function toTrialSummary(t: TrialRow): TrialSummary {
  return {
    id: t.id,
    sweepId: t.sweepId,
    index: t.index,
    params: t.params,
    status: t.status,
    attempt: t.attempt,
    step: t.step,
    metrics: t.metrics,
    score: t.score,
    scoreStep: t.scoreStep ?? null,
    backend: t.backend,
    error: t.error,
    statusReason: t.statusReason,
    createdAt: t.createdAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
  };
}

/** The trial as its worker gets it; `gpus`: what its sweep's `resources` ask for each trial; `metric`: the sweep's ranking metric. */
export function toLeasedTrial(t: TrialRow, template: string, gpus = 0, metric?: LeasedTrial['metric']): LeasedTrial {
  return {
    id: t.id,
    sweepId: t.sweepId,
    template,
    params: t.params,
    attempt: t.attempt,
    resumeAfterStep: t.step,
    gpus,
    ...(metric ? { metric } : {}),
    leaseExpiresAt: (t.leaseExpiresAt ?? new Date(0)).toISOString(),
  };
}
