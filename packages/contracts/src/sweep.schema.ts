import { z } from 'zod';
import { SweepSpec } from './sweep-spec.schema.js';
import { RankedTrial, TrialStatus } from './trial.schema.js';

/**
 * queued (no trial started) → running → completed (every trial finished). A user may pause
 * (no new leases; running trials go on) and resume, stop (`stopping`: running trials finish, no
 * new ones start, then `completed`), or cancel (stop now). `failed`: more than `maxFailures`
 * trials failed, or every trial failed; `reason` says which.
 */
export const SweepStatus = z.enum(['queued', 'running', 'paused', 'stopping', 'completed', 'failed', 'cancelled']);
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
  /** Why the sweep is paused, stopping, failed or cancelled, or what it waits for; null otherwise. */
  reason: z.string().nullable().default(null),
  /** Who launched it (the actor of its `created` event). */
  launchedBy: z.string().nullable().default(null),
  /** Best score of any trial (the ranking metric), null before one is scored; absent where not read (live updates). */
  best: z.number().nullable().optional(),
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
export const SweepList = z.object({
  /** Newest first: the page asked for with `offset` and `limit`. */
  sweeps: z.array(SweepSummary),
  /** Sweeps in all (in the project, when one was asked for), for paging. */
  total: z.number().int().optional(),
  /** Every project with how many sweeps it holds, by slug, for a project picker. */
  projects: z
    .array(
      z.object({
        /** Project slug. */
        slug: z.string(),
        /** Sweeps in the project. */
        sweeps: z.number().int(),
      }),
    )
    .optional(),
});
export type SweepList = z.infer<typeof SweepList>;

/** One knob of a template, as the launch form shows it (built from the template's zod schema by the scheduler). */
export const TemplateParam = z.object({
  /** Param name, as in a spec's `params`. */
  name: z.string(),
  /** What values it takes: `choice` lists them in `choices`. */
  type: z.enum(['number', 'integer', 'boolean', 'string', 'choice']),
  /** Value used when the spec leaves it out; absent when there is none. */
  default: z.union([z.number(), z.string(), z.boolean()]).optional(),
  /** Smallest value allowed (inclusive). */
  min: z.number().optional(),
  /** Largest value allowed (inclusive). */
  max: z.number().optional(),
  /** True when the value must be above `min` (not equal to it), e.g. a learning rate above 0. */
  minExclusive: z.boolean().optional(),
  /** The values a `choice` takes. */
  choices: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** True when a trial cannot run without it (no default, not optional). */
  required: z.boolean(),
  /** What it does (the schema's doc comment); null when undocumented. */
  description: z.string().nullable(),
});
export type TemplateParam = z.infer<typeof TemplateParam>;

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
      /** Each param (knob) the template takes, in schema order; absent from older schedulers. */
      params: z.array(TemplateParam).optional(),
      /** True when params beyond `params` are accepted (the `command` template passes them to the program). */
      openParams: z.boolean().optional(),
    }),
  ),
});
export type TemplateList = z.infer<typeof TemplateList>;

/** What happened to a sweep; every steering action and life-cycle change is one event. */
export const SweepEventAction = z.enum([
  'created',
  'paused',
  'resumed',
  'stopped',
  'cancelled',
  'trial_cancelled',
  'max_trials_raised',
  'completed',
  'failed',
]);
export type SweepEventAction = z.infer<typeof SweepEventAction>;

/** One recorded action on a sweep (the `sweep_events` table). */
export const SweepEvent = z.object({
  /** Event id, increasing in the order events were recorded. */
  id: z.number().int(),
  /** Sweep it belongs to. */
  sweepId: z.string(),
  /** The trial it concerns (`trial_cancelled`), else null. */
  trialId: z.string().nullable(),
  /** What happened. */
  action: SweepEventAction,
  /** Who did it: the `X-Ablate-Actor` the client sent (CLI: the OS user; dashboard: "dashboard") and its address, or "scheduler" for automatic changes. Not authenticated until teams exist. */
  actor: z.string(),
  /** Details, e.g. `{ maxTrials: { from: 20, to: 40 } }` or the reason of a failure. */
  detail: z.record(z.string(), z.unknown()),
  /** ISO time. */
  at: z.string(),
});
export type SweepEvent = z.infer<typeof SweepEvent>;

/** Response of `GET /api/sweeps/:id/events`: oldest first. */
export const SweepEventList = z.object({ /** The sweep's events. */ events: z.array(SweepEvent) });
export type SweepEventList = z.infer<typeof SweepEventList>;

/** `PATCH /api/sweeps/:id` body: change a running sweep's budget. */
export const UpdateSweepRequest = z
  .object({
    /** New total trial budget; may only grow (random/TPE propose more, a capped grid continues). */
    maxTrials: z.number().int().min(1).max(10_000),
  })
  .strict();
export type UpdateSweepRequest = z.infer<typeof UpdateSweepRequest>;

/** Header a client sends to say who acts (recorded in sweep events), percent-encoded (`encodeURIComponent`); at most 100 characters are kept. */
export const ACTOR_HEADER = 'x-ablate-actor';

/** `GET /api/sweeps/:id/leaderboard` query: one page of the ranked table, served by the database. */
export const LeaderboardQuery = z.object({
  /** First row (0-based) of the page. */
  offset: z.coerce.number().int().min(0).default(0),
  /** Rows per page. */
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** `rank` (best first, the default), `index`, `status`, `updated` (most recently changed first), or `metric:<name>` (best first by that metric's latest value). */
  sort: z.string().max(120).default('rank'),
  /** Only trials in these statuses (comma-separated), e.g. `running,completed`; ranks, means and totals count only them. */
  status: z.string().max(200).optional(),
  /** `trial` (one row per trial) or `config` (one row per configuration over its repeat seeds, ranked by the mean). */
  group: z.enum(['trial', 'config']).default('trial'),
  /** Only the runs of one configuration: the `key` of its `group=config` row (the single runs behind a mean). */
  config: z.string().max(4000).optional(),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuery>;
export type LeaderboardQueryInput = z.input<typeof LeaderboardQuery>;

/** `GET /api/sweeps/:id` query. */
export const SweepDetailQuery = z.object({
  /** Only the `top` best-ranked trials, as the live subscription's ack carries them; every trial without it. */
  top: z.coerce.number().int().min(1).max(1000).optional(),
});
export type SweepDetailQuery = z.infer<typeof SweepDetailQuery>;

/** Query of `GET /api/sweeps`: one page of the sweeps, newest first. */
export const SweepListQuery = z.object({
  /** Sweeps to skip (newest first); 0 by default. */
  offset: z.coerce.number().int().min(0).default(0),
  /** Sweeps to return, 1 to 200; 200 by default. */
  limit: z.coerce.number().int().min(1).max(200).default(200),
  /** Only this project's sweeps (its slug). */
  project: z.string().min(1).max(200).optional(),
});
export type SweepListQuery = z.infer<typeof SweepListQuery>;

/** A configuration's repeats, as one leaderboard row. */
export const ConfigurationRow = z.object({
  /** Stable key of the configuration (params without `seed`). */
  key: z.string(),
  /** The shared params (without `seed`). */
  params: z.record(z.string(), z.unknown()),
  /** Rank by mean score (1 is best; ties share a rank), null while no run has a score. */
  rank: z.number().int().nullable(),
  /** Mean score over the runs that have one. */
  mean: z.number().nullable(),
  /** Sample standard deviation of those scores (null with fewer than 2). */
  std: z.number().nullable(),
  /** Runs with a score. */
  n: z.number().int(),
  /** The single runs (trial ids in index order; the first 100, `config=<key>` pages them all), for the detail one click away. */
  trialIds: z.array(z.string()),
  /** Status counts of the runs. */
  counts: z.record(TrialStatus, z.number().int()),
});
export type ConfigurationRow = z.infer<typeof ConfigurationRow>;

/** Response of `GET /api/sweeps/:id/leaderboard`. */
export const LeaderboardPage = z.object({
  /** Rows matching the filter (trials, or configurations when grouped). */
  total: z.number().int(),
  /** Offset of the first row. */
  offset: z.number().int(),
  /** The page of ranked trials (`group=trial`). */
  trials: z.array(RankedTrial),
  /** The page of configurations (`group=config`); empty otherwise. */
  configurations: z.array(ConfigurationRow),
});
export type LeaderboardPage = z.infer<typeof LeaderboardPage>;
