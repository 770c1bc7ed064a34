import {
  ApiError,
  ErrorCode,
  TRIAL_LOG_BATCH_MAX_LINES,
  TRIAL_LOG_LINE_MAX_CHARS,
  TRIAL_LOG_MAX_LINES,
  isTransientError,
  type TrialLogBatch,
  type TrialLogEntry,
  type TrialLogStream,
} from '@ablate/contracts';

/** Text per batch: the scheduler's JSON body limit is 100 kB, and JSON escapes may double some of it. */
const MAX_BATCH_CHARS = 40_000;
/** How long `close` waits for the last lines to go out (an unanswering scheduler must not hold up the final report). */
const CLOSE_TIMEOUT_MS = 5_000;

export interface TrialLogSenderOptions {
  /** Attempt the lines belong to (the lease's). */
  attempt: number;
  /** The worker's current id (it changes when the worker registers again). */
  workerId: () => string;
  /** Sends one batch: `ApiClient.sendTrialLogs(trialId, batch)` with the worker's identity. */
  send: (batch: TrialLogBatch) => Promise<unknown>;
  /** Most often a batch goes out (default 1 s): a chatty program costs the scheduler one request a second. */
  intervalMs?: number;
  /** Lines held while they cannot go out; older ones are dropped first (default: the stored tail's 500). */
  maxBuffered?: number;
  /** One line for the agent's own log when the scheduler refuses the lines for good. */
  log?: (line: string) => void;
}

/**
 * Sends one trial's log lines (the program's stdout and stderr, the agent's notes) to the
 * scheduler in batches, at most one request per interval and one in flight. Lines are best
 * effort: while the scheduler is away they wait (the newest `maxBuffered`, with a note of how many
 * were dropped), and once it refuses them for good (the lease is gone) they are dropped.
 */
export class TrialLogSender {
  private readonly buffer: TrialLogEntry[] = [];
  private seq = 0;
  private dropped = 0;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly o: TrialLogSenderOptions) {}

  /** Queues a line (clipped to what the scheduler stores); it goes out within the interval. */
  line(stream: TrialLogStream, text: string): void {
    if (this.closed) return;
    this.buffer.push({ seq: this.seq++, stream, line: storable(text), at: new Date().toISOString() });
    const max = this.o.maxBuffered ?? TRIAL_LOG_MAX_LINES;
    if (this.buffer.length > max) this.dropped += this.buffer.splice(0, this.buffer.length - max).length;
    this.schedule();
  }

  /** Sends what is queued now (batch after batch); a failure keeps the rest for later. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    this.inFlight = this.sendAll().finally(() => (this.inFlight = null));
    await this.inFlight;
  }

  /** The trial ended: the last lines go out (waiting at most 5 s), then nothing more is taken. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const last = this.flush();
    this.closed = true;
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([last, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
    clearTimeout(giveUp);
  }

  private async sendAll(): Promise<void> {
    if (this.dropped > 0) {
      this.buffer.unshift({ seq: this.seq++, stream: 'agent', line: `… ${this.dropped} earlier lines were dropped (more output than the log tail takes while they waited)`, at: new Date().toISOString() });
      this.dropped = 0;
    }
    while (this.buffer.length > 0) {
      const batch = this.takeBatch();
      try {
        await this.o.send({ workerId: this.o.workerId(), attempt: this.o.attempt, lines: batch });
      } catch (err) {
        if (isTransientError(err)) {
          this.buffer.unshift(...batch); // the scheduler is away: try again in an interval
          this.schedule();
          return;
        }
        this.refused(err);
        return;
      }
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.o.intervalMs ?? 1000);
  }

  private takeBatch(): TrialLogEntry[] {
    let chars = 0;
    let n = 0;
    while (n < this.buffer.length && n < TRIAL_LOG_BATCH_MAX_LINES && (n === 0 || chars + this.buffer[n]!.line.length <= MAX_BATCH_CHARS)) {
      chars += this.buffer[n]!.line.length;
      n++;
    }
    return this.buffer.splice(0, n);
  }

  /** Refused for good: the trial is no longer ours (409, 404) or the lines are invalid (400). */
  private refused(err: unknown): void {
    const gone = err instanceof ApiError && [ErrorCode.LeaseNotHeld, ErrorCode.TrialFinished, ErrorCode.TrialNotFound].includes(err.code as never);
    this.o.log?.(`log lines not stored (${err instanceof Error ? err.message : String(err)})${gone ? '; no more are sent for this attempt' : ''}`);
    if (gone) {
      this.closed = true;
      this.buffer.length = 0;
    }
  }
}

/** `text` as the scheduler stores it: at most TRIAL_LOG_LINE_MAX_CHARS, no NUL, no lone surrogate. */
export function storable(text: string): string {
  const clipped = text.length <= TRIAL_LOG_LINE_MAX_CHARS ? text : `${text.slice(0, TRIAL_LOG_LINE_MAX_CHARS - 1)}…`;
  return clipped.replaceAll('\0', '?').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
