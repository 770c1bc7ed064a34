import { z } from 'zod';
import { CheckpointInfo } from './artifact.schema.js';
import { SweepStatus } from './sweep.schema.js';
import { TrialErrorCode } from './trial-error.js';
import { TrialSummary } from './trial.schema.js';

/**
 * How one run of a trial (one lease) ended: the trial's status when it ended there, `retried`
 * (it failed and went back to the queue for another attempt), `released` (its worker handed it
 * back, e.g. shutting down; no attempt used), or null while it still runs.
 */
export const TrialRunOutcome = z.enum(['completed', 'failed', 'retried', 'released', 'cancelled', 'pruned', 'paused', 'moved']);
export type TrialRunOutcome = z.infer<typeof TrialRunOutcome>;

/** One lease of a trial: which worker ran which attempt, from when to when, and how it ended. */
export const TrialRun = z.object({
  /** The trial's attempt number (1, then +1 per retry; a released or paused run's next lease keeps it). */
  attempt: z.number().int(),
  /** Worker that held the lease. */
  workerId: z.string().nullable(),
  /** Host name that worker registered with (null when the worker is gone). */
  host: z.string().nullable(),
  /** ISO time the worker leased the trial. */
  startedAt: z.string(),
  /** ISO time the run ended, null while it runs. */
  endedAt: z.string().nullable(),
  /** How it ended, null while it runs. */
  outcome: TrialRunOutcome.nullable(),
  /** The failure's code when it failed (null for older agents that sent none). */
  errorCode: TrialErrorCode.nullable(),
  /** The failure's message, or why it was released. */
  error: z.string().nullable(),
});
export type TrialRun = z.infer<typeof TrialRun>;

/** Response of `GET /api/trials/:id`: everything the trial page shows besides its curves and log. */
export const TrialDetail = z.object({
  /** The trial. */
  trial: TrialSummary,
  /** The code of the trial's last failure (null when it has none, or its agent sent no code). */
  errorCode: TrialErrorCode.nullable(),
  /** The sweep it belongs to. */
  sweep: z.object({
    /** Sweep id. */
    id: z.string(),
    /** Sweep name. */
    name: z.string(),
    /** Template its trials run (e.g. `mnist-cnn`, `command`). */
    template: z.string(),
    /** The ranking metric. */
    metric: z.object({ /** e.g. `val_acc`. */ name: z.string(), /** Which way is better. */ goal: z.enum(['minimize', 'maximize']) }),
    /** The sweep's status. */
    status: SweepStatus,
  }),
  /** Every lease of the trial, oldest first. */
  runs: z.array(TrialRun),
  /** The checkpoint in the scheduler's store (download at `/api/trials/:id/checkpoint/download`), or null. */
  checkpoint: CheckpointInfo.nullable(),
});
export type TrialDetail = z.infer<typeof TrialDetail>;
