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
import { scrubText } from '../storable-text.js';

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
  /** Most often queued lines go out (default 1 s); each time in batches of up to 200 lines. */
  intervalMs?: number;
  /** Lines held while they cannot go out; older ones are dropped first (default: the stored tail's 500). */
  maxBuffered?: number;
  /** One line for the agent's own log when the scheduler refuses the lines for good. */
  log?: (line: string) => void;
}

/**
 * Sends one trial's log lines (the program's stdout and stderr, the agent's notes) to the
 * scheduler: what is queued goes out at most once per interval, in batches, one request in flight.
 * Only the newest `maxBuffered` lines wait (the scheduler keeps no more), so a program printing
 * 100,000 lines a second costs a few requests a second; a note takes the place of the lines
 * dropped. Lines are best effort: they wait while the scheduler is away, and once it refuses them
 * for good (the lease is gone) they are dropped.
 */
export class TrialLogSender {
  private readonly buffer: TrialLogEntry[] = [];
  private seq = 0;
  private dropped = 0;
  /** Seq of the newest line dropped: the note about the drop takes its place in the order. */
  private droppedSeq = 0;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly o: TrialLogSenderOptions) {}

  /** Queues a line (clipped to what the scheduler stores); it goes out within the interval. */
  line(stream: TrialLogStream, text: string): void {
    if (this.closed) return;
    this.buffer.push({ seq: this.seq++, stream, line: storable(text), at: new Date().toISOString() });
    this.keep([]);
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
    await atMostCloseTimeout(last);
  }

  /**
   * The trial ended and its completion can carry the last lines (the scheduler stores them before
   * it applies the completion, each line once however often it is sent): what is queued, when it
   * fits one batch and nothing was dropped, is handed over instead of sent, after the batch on its
   * way (waiting at most 5 s, as `close`). Null when it does not fit: `close` sends it then. Once
   * handed over, nothing more is taken.
   */
  async takeTail(): Promise<TrialLogEntry[] | null> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await atMostCloseTimeout(this.inFlight);
    if (this.closed) return [];
    if (this.dropped > 0 || this.buffer.length > TRIAL_LOG_BATCH_MAX_LINES || this.buffer.reduce((n, e) => n + e.line.length, 0) > MAX_BATCH_CHARS) return null;
    this.closed = true;
    return this.buffer.splice(0);
  }

  /** Sends what is queued now; lines that arrive meanwhile wait for the next interval. */
  private async sendAll(): Promise<void> {
    const pending = this.buffer.splice(0);
    const dropped = this.dropped;
    const note: TrialLogEntry | null =
      dropped > 0 ? { seq: this.droppedSeq, stream: 'agent', line: `… ${dropped} lines dropped here (more output than the log tail takes)`, at: new Date().toISOString() } : null;
    if (note) pending.unshift(note);
    this.dropped = 0;
    while (pending.length > 0) {
      const batch = takeBatch(pending);
      try {
        await this.o.send({ workerId: this.o.workerId(), attempt: this.o.attempt, lines: batch });
      } catch (err) {
        if (isTransientError(err)) {
          // The scheduler is away: try again in an interval (an unsent note is written anew then).
          const unsent = [...batch, ...pending];
          if (note && unsent.includes(note)) this.dropped += dropped;
          this.keep(unsent.filter((e) => e !== note));
          return this.schedule();
        }
        if (this.refused(err)) this.keep(pending);
        return;
      }
    }
  }

  /** Puts unsent lines back before the newer ones, keeping the newest `maxBuffered`. */
  private keep(unsent: TrialLogEntry[]): void {
    this.buffer.unshift(...unsent);
    const max = this.o.maxBuffered ?? TRIAL_LOG_MAX_LINES;
    if (this.buffer.length > max) {
      const gone = this.buffer.splice(0, this.buffer.length - max);
      this.dropped += gone.length;
      this.droppedSeq = gone.at(-1)!.seq;
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.o.intervalMs ?? 1000);
  }

  /** Refused: for good when the trial is no longer ours (409, 404); a batch the scheduler finds invalid (400) is dropped alone. True when the rest may still go. */
  private refused(err: unknown): boolean {
    const gone = err instanceof ApiError && [ErrorCode.LeaseNotHeld, ErrorCode.TrialFinished, ErrorCode.TrialNotFound].includes(err.code as never);
    this.o.log?.(`log lines not stored (${err instanceof Error ? err.message : String(err)})${gone ? '; no more are sent for this attempt' : ''}`);
    if (gone) {
      this.closed = true;
      this.buffer.length = 0;
    }
    return !gone;
  }
}

/** The first lines of `pending` that make one request: at most 200, and about 40 kB of text. */
function takeBatch(pending: TrialLogEntry[]): TrialLogEntry[] {
  let chars = 0;
  let n = 0;
  while (n < pending.length && n < TRIAL_LOG_BATCH_MAX_LINES && (n === 0 || chars + pending[n]!.line.length <= MAX_BATCH_CHARS)) {
    chars += pending[n]!.line.length;
    n++;
  }
  return pending.splice(0, n);
}

/** Waits for `work`, but at most CLOSE_TIMEOUT_MS: an unanswering scheduler must not hold up a trial's end. */
async function atMostCloseTimeout(work: Promise<void>): Promise<void> {
  let giveUp: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
  clearTimeout(giveUp);
}

/** `text` as the scheduler stores it: at most TRIAL_LOG_LINE_MAX_CHARS, no NUL, no lone surrogate. */
export function storable(text: string): string {
  const clipped = text.length <= TRIAL_LOG_LINE_MAX_CHARS ? text : `${text.slice(0, TRIAL_LOG_LINE_MAX_CHARS - 1)}…`;
  return scrubText(clipped);
}
