import { z } from 'zod';

/**
 * Trial life cycle: queued → leased → running → completed | pruned | failed | cancelled. ASHA may
 * `pause` a running trial at a rung (its checkpoint kept) and later promote it back to `queued`,
 * from where it resumes after its last step.
 */
export const TrialStatus = z.enum(['queued', 'leased', 'running', 'paused', 'completed', 'pruned', 'failed', 'cancelled']);
export type TrialStatus = z.infer<typeof TrialStatus>;

/** Statuses after which a trial never changes again. */
export const FINISHED_TRIAL_STATUSES: readonly TrialStatus[] = ['completed', 'pruned', 'failed', 'cancelled'];

/** A trial as the leaderboard shows it. */
export const TrialSummary = z.object({
  /** Trial id (uuid). */
  id: z.string(),
  /** Sweep the trial belongs to. */
  sweepId: z.string(),
  /** Position of the trial in the sweep's expansion, from 0. */
  index: z.number().int(),
  /** Template params of this trial (defaults filled in). */
  params: z.record(z.string(), z.unknown()),
  /** Where the trial is in its life cycle. */
  status: TrialStatus,
  /** 1 on the first run, +1 on every retry. */
  attempt: z.number().int(),
  /** Last reported step (epoch), or null before the first report. */
  step: z.number().int().nullable(),
  /** Latest value of each reported metric. */
  metrics: z.record(z.string(), z.number()),
  /** Best value so far of the sweep's ranking metric, or null. */
  score: z.number().nullable(),
  /** Step (epoch) the score comes from; the final metrics (test_acc) were measured on that epoch's weights. Null without a score; absent from older schedulers. */
  scoreStep: z.number().int().nullable().optional(),
  /** Training backend that ran it (e.g. `wasm`, `tensorflow`), once known. */
  backend: z.string().nullable(),
  /** Why the trial failed, when it did. */
  error: z.string().nullable(),
  /** Why the trial is paused, pruned or cancelled (e.g. "below the median of 6 trials at step 3"), else null. */
  statusReason: z.string().nullable().default(null),
  /** ISO timestamps. */
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type TrialSummary = z.infer<typeof TrialSummary>;

/** A trial with its place on the leaderboard (null while it has no score). */
export const RankedTrial = TrialSummary.extend({ /** 1 is best. */ rank: z.number().int().nullable() });
export type RankedTrial = z.infer<typeof RankedTrial>;

/** One stored metric point. */
export const MetricPoint = z.object({
  /** Step (epoch) the value belongs to. */
  step: z.number().int().min(0),
  /** Metric name, e.g. `val_acc`. */
  name: z.string(),
  /** The value. */
  value: z.number(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

/** Postgres `int` bound of a step: a larger `afterStep` could only be refused by the database. */
const MAX_STEP = 2_147_483_647;
const AFTER_STEP_HINT = 'send a whole number from 0 (the highest step you already have), or leave afterStep out for every point';

/** A query string's digits as a number; anything else (`-1`, `1.5`, `abc`, empty) is left for the number check to refuse. */
const wholeNumberText = (value: unknown): unknown => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `GET /api/trials/:id/metrics` query: without `afterStep`, every point; with it, only the later ones (live pages append). */
export const TrialMetricsQuery = z.object({
  /** Only the points with a step above this one, oldest first; every stored point without it. */
  afterStep: z
    .preprocess(wholeNumberText, z.number({ error: AFTER_STEP_HINT }).int({ error: AFTER_STEP_HINT }).min(0, { error: AFTER_STEP_HINT }).max(MAX_STEP, { error: AFTER_STEP_HINT }))
    .optional()
    .meta({ description: 'Only the points with a step above this one (a live page sends the highest step it has); every point without it.' }),
});
export type TrialMetricsQuery = z.infer<typeof TrialMetricsQuery>;
/** What a client passes (the schema's input is `unknown`: it reads query-string text). */
export type TrialMetricsQueryInput = { afterStep?: number };

/** A trial's metric points (all of them, or those after `afterStep`), ordered by step, then name. */
export const TrialMetrics = z.object({
  /** The points, step by step; within a step, by metric name. */
  points: z.array(MetricPoint),
});
export type TrialMetrics = z.infer<typeof TrialMetrics>;
