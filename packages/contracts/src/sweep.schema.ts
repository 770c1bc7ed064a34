import { z } from 'zod';
import { SweepSpec } from './sweep-spec.schema.js';
import { RankedTrial, TrialStatus } from './trial.schema.js';

/** queued (no trial started) → running → completed (every trial finished) | cancelled. */
export const SweepStatus = z.enum(['queued', 'running', 'completed', 'cancelled']);
export type SweepStatus = z.infer<typeof SweepStatus>;

/** A sweep as lists show it. */
export const SweepSummary = z.object({
  /** Sweep id (uuid). */
  id: z.string(),
  /** Display name. */
  name: z.string(),
  /** Project slug. */
  project: z.string(),
  /** Template every trial runs. */
  template: z.string(),
  /** Life-cycle status. */
  status: SweepStatus,
  /** Ranking metric and direction. */
  metric: z.object({ name: z.string(), goal: z.enum(['minimize', 'maximize']) }),
  /** Number of trials in each status. */
  counts: z.record(TrialStatus, z.number().int()),
  /** Total trials. */
  total: z.number().int(),
  /** ISO timestamps. */
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SweepSummary = z.infer<typeof SweepSummary>;

/** A sweep with its spec and ranked leaderboard. */
export const SweepDetail = z.object({
  /** The sweep. */
  sweep: SweepSummary.extend({ /** The validated spec it was created from. */ spec: SweepSpec }),
  /** Every trial, best first; unscored trials last in index order. */
  trials: z.array(RankedTrial),
});
export type SweepDetail = z.infer<typeof SweepDetail>;

/** Response of `GET /api/sweeps`. */
export const SweepList = z.object({ /** Newest first. */ sweeps: z.array(SweepSummary) });
export type SweepList = z.infer<typeof SweepList>;

/** Response of `GET /api/templates`. */
export const TemplateList = z.object({
  templates: z.array(
    z.object({
      /** Template name. */
      name: z.string(),
      /** One-line description. */
      description: z.string(),
      /** Default params. */
      defaults: z.record(z.string(), z.unknown()),
      /** Metrics reported, with the better direction. */
      metrics: z.array(z.object({ name: z.string(), goal: z.enum(['minimize', 'maximize']), when: z.enum(['epoch', 'final']) })),
    }),
  ),
});
export type TemplateList = z.infer<typeof TemplateList>;
