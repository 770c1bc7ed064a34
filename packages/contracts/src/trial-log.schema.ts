import { z } from 'zod';
import { safeText } from './safe-text.js';

/**
 * A trial's log tail: the last lines its program wrote to stdout and stderr, and the agent's own
 * lines about it (started, resumed, failed ...). Workers send them in batches; the scheduler keeps
 * a bounded tail per trial and pushes new lines to dashboards that subscribed to the trial.
 */

/** Lines kept per trial (all attempts together); older ones are dropped. */
export const TRIAL_LOG_MAX_LINES = 500;
/** Bytes of text kept per trial (all attempts together); older lines are dropped. */
export const TRIAL_LOG_MAX_BYTES = 64 * 1024;
/** Longest line stored; the agent clips longer ones and marks the cut with "…". */
export const TRIAL_LOG_LINE_MAX_CHARS = 1000;
/** Most lines in one batch. */
export const TRIAL_LOG_BATCH_MAX_LINES = 200;

/** Where a line came from: the program's stdout or stderr, or the agent that runs it. */
export const TrialLogStream = z.enum(['stdout', 'stderr', 'agent']);
export type TrialLogStream = z.infer<typeof TrialLogStream>;

/** One line as a worker sends it. */
export const TrialLogEntry = z.object({
  /** Position in this attempt's log, from 0; a line sent twice (a retried batch) is stored once. */
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Where it came from. */
  stream: TrialLogStream,
  /** The text, without its line break. */
  line: safeText().max(TRIAL_LOG_LINE_MAX_CHARS),
  /** ISO time the agent read it. */
  at: z.iso.datetime({ offset: true }),
});
export type TrialLogEntry = z.infer<typeof TrialLogEntry>;

/** `POST /api/trials/:id/logs` body: the next lines of a trial the worker holds. */
export const TrialLogBatch = z.object({
  /** Worker that holds the lease. */
  workerId: safeText().max(64),
  /** Attempt the lines belong to (the lease's `attempt`). */
  attempt: z.number().int().min(1).max(1000),
  /** The lines, in order. */
  lines: z.array(TrialLogEntry).min(1).max(TRIAL_LOG_BATCH_MAX_LINES),
});
export type TrialLogBatch = z.infer<typeof TrialLogBatch>;

/** Response to a log batch. */
export const TrialLogBatchResponse = z.object({
  /** Lines stored now (a retried batch's lines are stored once). */
  stored: z.number().int(),
});
export type TrialLogBatchResponse = z.infer<typeof TrialLogBatchResponse>;

/** A stored line. */
export const TrialLogLine = TrialLogEntry.extend({
  /** Attempt it belongs to (1, then +1 per retry). */
  attempt: z.number().int(),
});
export type TrialLogLine = z.infer<typeof TrialLogLine>;

/** `GET /api/trials/:id/logs`, and the ack of `trial:subscribe`: the stored tail, oldest first. */
export const TrialLogTail = z.object({
  /** The trial. */
  trialId: z.string(),
  /** The last lines (at most `TRIAL_LOG_MAX_LINES` and `TRIAL_LOG_MAX_BYTES`), by attempt and seq. */
  lines: z.array(TrialLogLine),
});
export type TrialLogTail = z.infer<typeof TrialLogTail>;

/** The `trial:log` push: lines just stored for a trial, to its subscribers. */
export const TrialLogPush = z.object({
  /** The trial. */
  trialId: z.string(),
  /** The new lines, in order. */
  lines: z.array(TrialLogLine),
});
export type TrialLogPush = z.infer<typeof TrialLogPush>;
