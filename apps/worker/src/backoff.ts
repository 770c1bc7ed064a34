/** Delays between retries: `initialMs`, doubling up to `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** 0.5 s doubling to 10 s: a restart of the scheduler (seconds) is noticed within ~10 s of its end. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };

/**
 * Capped exponential backoff with ±20 % jitter, so that fifty workers whose scheduler comes back do
 * not all call it in the same millisecond.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next retry; each call doubles the next one, up to the cap. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  }

  /** After a success: the next failure waits the initial delay again. */
  reset(): void {
    this.attempt = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts (resolves either way, never rejects). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
