import { isRetryableTrialError, type TrialErrorCode, type TrialErrorInfo } from '@ablate/contracts';
import { DatasetError } from './datasets/dataset-error.js';

/** Longest message a failed report carries (`TrialReport.error`). */
const MAX_MESSAGE = 4000;

/**
 * An error of a trial with its `TrialErrorInfo` code: the worker reports the code, and the
 * scheduler retries or not by it, instead of matching class names. `retryable` defaults to the
 * code's (false for invalid params, missing data, a mismatched checkpoint).
 */
export class TrialError extends Error {
  override readonly name = 'TrialError';
  readonly retryable: boolean;

  constructor(
    readonly code: TrialErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? isRetryableTrialError(code);
  }
}

/** Messages of the runtimes' out-of-memory failures (TF.js, its wasm heap, V8's array buffers). */
const OUT_OF_MEMORY = /out of memory|failed to allocate|allocation failed|cannot allocate memory|oom when allocating/i;

/**
 * What `err`, thrown by `runTrial` (or anything a template calls), means for the trial: the code,
 * whether a retry may help, and the message for the user (at most 4,000 characters).
 */
export function toTrialError(err: unknown): TrialErrorInfo {
  const message = clip(err instanceof Error ? err.message || err.name : String(err));
  if (err instanceof TrialError) return { code: err.code, retryable: err.retryable, message };
  if (err instanceof DatasetError) return { code: err.code, retryable: err.retryable, message };
  // CacheUsageError: a bad ABLATE_CACHE_MAX_GB on this worker; no retry fixes it, the message says what to write.
  if (err instanceof Error && (err.name === 'ZodError' || err.name === 'ConfigError' || err.name === 'CacheUsageError')) return { code: 'invalid_params', retryable: false, message };
  if (OUT_OF_MEMORY.test(message) || (err instanceof RangeError && /array buffer|invalid array length/i.test(message))) {
    return { code: 'out_of_memory', retryable: true, message };
  }
  // Anything else, a backend forced by ABLATE_TF_BACKEND that this node lacks included: another try,
  // perhaps on another node, may succeed.
  return { code: 'internal', retryable: true, message };
}

function clip(s: string): string {
  return s.length <= MAX_MESSAGE ? s : `${s.slice(0, MAX_MESSAGE - 1)}…`;
}
