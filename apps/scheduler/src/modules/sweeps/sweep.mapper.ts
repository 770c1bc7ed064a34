import { TrialStatus, type SweepSummary, type TrialStatus as Status } from '@ablate/contracts';
import type { SweepEntity } from './sweep.entity.js';

export function toSweepSummary(s: SweepEntity, counts: Partial<Record<Status, number>>): SweepSummary {
  return {
    id: s.id,
    name: s.name,
    project: s.project?.slug ?? s.spec.project,
    template: s.template,
    status: s.status,
    metric: { name: s.metricName, goal: s.metricGoal },
    counts: Object.fromEntries(TrialStatus.options.map((k) => [k, counts[k] ?? 0])) as Record<Status, number>,
    total: s.trialCount,
    createdAt: s.createdAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
  };
}
