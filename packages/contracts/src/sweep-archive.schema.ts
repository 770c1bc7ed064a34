import { z } from 'zod';
import { echo, safeText } from './safe-text.js';
import { SweepEventAction, SweepStatus } from './sweep.schema.js';
import { TrialStatus } from './trial.schema.js';

/** What an archive file says it is (`format`). */
export const SWEEP_ARCHIVE_FORMAT = 'ablate-sweep-archive';
/** The archive version this code writes; it reads this one and version 1 (no search state, reasons or events). */
export const SWEEP_ARCHIVE_VERSION = 2;
/**
 * Media type of `POST /api/sweeps/import` bodies. The import route reads these itself, past the API's
 * JSON body limit (a 10,000-trial sweep's curves are tens of MB); `Content-Encoding: gzip` is accepted.
 */
export const SWEEP_ARCHIVE_MEDIA_TYPE = 'application/vnd.ablate.sweep-archive+json';

const INT4_MAX = 2 ** 31 - 1;
/** Timestamps in UTC with the database's microseconds, e.g. `2026-11-30T08:39:37.123456Z`. */
const Time = z.iso.datetime({ message: 'use an ISO 8601 UTC time, e.g. 2026-11-30T08:39:37.123456Z' });
const Int4 = z.number().int().min(0).max(INT4_MAX);
/** Any finite number: an archive keeps what was stored, even values today's reports would refuse. */
const Value = z.number();

/** One stored metric point: `[step, metric name, value, recorded at]`. */
export const ArchivedPoint = z.tuple([Int4, safeText().min(1).max(200), Value, Time]);
export type ArchivedPoint = z.infer<typeof ArchivedPoint>;

/** A trial with its whole history. */
export const ArchivedTrial = z.object({
  /** Position in the sweep's expansion, from 0; unique within the archive. */
  index: Int4,
  /** Template params of the trial. */
  params: z.record(z.string(), z.unknown()),
  /** Status when exported. Import puts queued, leased and running trials back in the queue from scratch. */
  status: TrialStatus,
  /** 1 on the first run, +1 on every retry. */
  attempt: Int4,
  /** Last reported step, or null. */
  step: Int4.nullable(),
  /** Latest value of each metric. */
  metrics: z.record(z.string(), Value),
  /** Best value of the sweep's metric, or null. */
  score: Value.nullable(),
  /** The step (epoch) the score comes from, or null (version 2; null when read from an older archive). */
  scoreStep: Int4.nullable().default(null),
  /** Training backend that ran it, or null. */
  backend: safeText().max(200).nullable(),
  /** Why it failed (or was last requeued), or null. */
  error: safeText().nullable(),
  /** Why it is paused, pruned or cancelled, or null (version 2; null when read from version 1). */
  statusReason: safeText().max(2000).nullable().default(null),
  /** When the trial was created. */
  createdAt: Time,
  /** First report, or null. */
  startedAt: Time.nullable(),
  /** When it finished, or null. */
  finishedAt: Time.nullable(),
  /** Last change. */
  updatedAt: Time,
  /** Every stored metric point, ordered by step then name; one per (step, name). */
  points: z.array(ArchivedPoint),
});
export type ArchivedTrial = z.infer<typeof ArchivedTrial>;

/** The sweep itself; its name, template, metric and retries are in `spec`. */
export const ArchivedSweep = z.object({
  /** Id in the installation it was exported from (import gives new ids). */
  id: z.string().max(100),
  /** Project slug. */
  project: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes'),
  /** The validated spec the sweep was created from (checked again on import). */
  spec: z.record(z.string(), z.unknown()),
  /** Status when exported. */
  status: SweepStatus,
  /** When the sweep was created. */
  createdAt: Time,
  /** Last change. */
  updatedAt: Time,
  /** When it completed or was cancelled, or null. */
  finishedAt: Time.nullable(),
  /** Why it is paused, stopping, failed or cancelled, or null (version 2). */
  reason: safeText().max(2000).nullable().default(null),
  /** Who launched it, or null (version 2). */
  launchedBy: safeText().max(200).nullable().default(null),
  /** Its trial budget as it was (`maxTrials`, perhaps raised since creation), or null: the spec's (version 2). */
  maxTrials: Int4.nullable().default(null),
  /** The search's state (`sweeps.sweep_state`): where random and TPE continue; null: the search starts afresh, or a grid past its trials (version 2). */
  searchState: z
    .object({
      /** Configurations proposed so far. */
      proposed: Int4,
      /** The sampler's PRNG state. */
      rng: z.array(z.number().int()).max(64),
    })
    .strict()
    .nullable()
    .default(null),
});
export type ArchivedSweep = z.infer<typeof ArchivedSweep>;

/** One recorded action on the sweep (version 2). */
export const ArchivedEvent = z.object({
  /** What happened. */
  action: SweepEventAction,
  /** Who did it. */
  actor: safeText().max(300),
  /** Index of the trial it concerns (`trial_cancelled`), or null. */
  trialIndex: Int4.nullable(),
  /** Details. */
  detail: z.record(z.string(), z.unknown()),
  /** When. */
  at: Time,
});
export type ArchivedEvent = z.infer<typeof ArchivedEvent>;

/** `ablate sweep export` / `GET /api/sweeps/:id/export`: a sweep, its trials and every metric point. */
export const SweepArchive = z
  .object({
    /** Always `ablate-sweep-archive`. */
    format: z.literal(SWEEP_ARCHIVE_FORMAT, { message: `format must be "${SWEEP_ARCHIVE_FORMAT}": this is not an Ablate sweep archive` }),
    /** Archive version; this Ablate reads versions 1 and 2. */
    version: z.union([z.literal(1), z.literal(SWEEP_ARCHIVE_VERSION)], {
      message: `version must be 1 or ${SWEEP_ARCHIVE_VERSION}; an archive from a newer Ablate needs that Ablate (or newer) to import it`,
    }),
    /** When it was exported. */
    exportedAt: Time,
    /** The sweep. */
    sweep: ArchivedSweep,
    /** Every trial, by index. */
    trials: z.array(ArchivedTrial),
    /** Every recorded action on the sweep, oldest first (version 2; none in version 1). */
    events: z.array(ArchivedEvent).default([]),
  })
  .superRefine((archive, ctx) => {
    const indexes = new Set<number>(archive.trials.map((t) => t.index));
    archive.events.forEach((e, i) => {
      if (e.trialIndex !== null && !indexes.has(e.trialIndex)) ctx.addIssue({ code: 'custom', path: ['events', i, 'trialIndex'], message: `no trial has index ${e.trialIndex}` });
    });
    indexes.clear();
    archive.trials.forEach((trial, i) => {
      if (indexes.has(trial.index)) ctx.addIssue({ code: 'custom', path: ['trials', i, 'index'], message: `index ${trial.index} appears twice` });
      indexes.add(trial.index);
      const keys = new Set<string>();
      trial.points.forEach(([step, name], j) => {
        const key = `${step}\u0000${name}`;
        if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['trials', i, 'points', j], message: `a second point for step ${step} of "${echo(name)}"` });
        keys.add(key);
      });
    });
  });
export type SweepArchive = z.infer<typeof SweepArchive>;
