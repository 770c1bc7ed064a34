import type { SweepSummary } from '@ablate/contracts';
import type { SweepHead } from './sweep-rows.js';

export function toSweepSummary(s: SweepHead): SweepSummary {
  return {
    id: s.id,
    name: s.name,
    project: s.projectSlug,
    template: s.template,
    status: s.status,
    metric: { name: s.metricName, goal: s.metricGoal },
    counts: { ...s.counts },
    total: s.trialCount,
    reason: null,
    launchedBy: null,
    createdAt: s.createdAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
  };
}
