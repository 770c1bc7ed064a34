import { z } from 'zod';

/**
 * Why a trial failed, as a code the agent and the scheduler act on (retry or not) instead of
 * matching error class names. The models package and the command runner both produce these.
 */
export const TrialErrorCode = z.enum([
  /** The params are invalid for the template (a retry cannot fix them). */
  'invalid_params',
  /** A dataset or model file named by the params is missing. */
  'dataset_missing',
  /** A dataset or model file exists but cannot be read (corrupt, wrong format). */
  'dataset_corrupt',
  /** A path param lies outside the worker's data roots. */
  'path_not_allowed',
  /** The checkpoint cannot be resumed (written for another model). */
  'checkpoint_mismatch',
  /** A command trial's program does not exist or is not executable. */
  'command_not_found',
  /** This worker does not run command trials, or not this program (ABLATE_ALLOW_COMMANDS); another worker may. */
  'command_not_allowed',
  /** A command trial exited with a non-zero status. */
  'command_failed',
  /** The trial's process ran out of memory (killed by the kernel or the runtime). */
  'out_of_memory',
  /** The trial's process died from a signal nobody asked for (e.g. kill -9). */
  'crashed',
  /** The trial stopped sending anything for longer than its timeout. */
  'hung',
  /** Anything else; the message says what. */
  'internal',
]);
export type TrialErrorCode = z.infer<typeof TrialErrorCode>;

/** Codes a retry cannot fix: the trial fails at once without using its retries. */
export const PERMANENT_TRIAL_ERRORS: readonly TrialErrorCode[] = [
  'invalid_params',
  'dataset_missing',
  'dataset_corrupt',
  'path_not_allowed',
  'checkpoint_mismatch',
  'command_not_found',
];

/** A trial failure as the agent reports it. */
export const TrialErrorInfo = z.object({
  /** What kind of failure. */
  code: TrialErrorCode,
  /** Whether a retry may succeed (false for permanent codes). */
  retryable: z.boolean(),
  /** What went wrong and what to fix, for the user. */
  message: z.string(),
});
export type TrialErrorInfo = z.infer<typeof TrialErrorInfo>;

/** The default `retryable` of a code. */
export function isRetryableTrialError(code: TrialErrorCode): boolean {
  return !PERMANENT_TRIAL_ERRORS.includes(code);
}
