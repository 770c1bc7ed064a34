import type { SweepEvent, SweepEventAction, SweepSummary } from '@ablate/contracts';
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
    reason: s.reason,
    launchedBy: s.launchedBy,
    createdAt: s.createdAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
  };
}

/** A `sweep_events` row (pg returns bigint ids as strings). */
export function toSweepEvent(r: Record<string, unknown>): SweepEvent {
  return {
    id: Number(r.id),
    sweepId: r.sweep_id as string,
    trialId: (r.trial_id as string | null) ?? null,
    action: r.action as SweepEventAction,
    actor: r.actor as string,
    detail: r.detail as Record<string, unknown>,
    at: (r.at as Date).toISOString(),
  };
}
