import { ApiError, ErrorCode, type RegisterWorkerResponse, type ReportResponse, type TrialLogEntry, type TrialReport, type TrialStopOrder } from '@ablate/contracts';
import { Backoff, pause, type BackoffOptions } from './backoff.js';
import { MemoryReportQueue, type ReportQueue } from './outbox/report-queue.js';
import { describe, isWorkerNotFound, type SchedulerConnection } from './scheduler-connection.js';

/** Epoch reports held per trial while the scheduler is away; training waits only when this many are queued. */
export const MAX_QUEUED_REPORTS = 1000;

/**
 * How long an epoch report, the only one queued, waits for the next report before it goes. When
 * the trial's process ends meanwhile (a command printing its last metrics line and exiting, a
 * zero-work trial), it waits on for the last report, which follows once the checkpoint and the
 * log tail are stored, and goes inside a completion (`lastEpoch`): a trial then costs the
 * scheduler one report fewer, and one status change fewer of its sweep's counts. Against an
 * epoch of seconds this wait is nothing.
 */
export const FOLD_WINDOW_MS = 10;

/** How long an epoch report waits for the last report once the process has ended. */
export const MAX_HOLD_AFTER_EXIT_MS = 60_000;

export interface TrialReporterOptions {
  trialId: string;
  connection: SchedulerConnection;
  /** Called once when the trial must stop: cancelled, lease lost, or a report refused. */
  onStop: (reason: string) => void;
  backoff?: BackoffOptions;
  maxQueued?: number;
  /** Where waiting reports are kept (default in memory; the agent's on-disk outbox survives a restart). */
  queue?: ReportQueue;
  /** How long a lone epoch report waits for a completion to go with (default `FOLD_WINDOW_MS`). */
  foldWindowMs?: number;
  /** The trial's log tail, which goes before its last report (the scheduler takes lines only from the lease holder). */
  logTail?: LogTail;
}

/** The unsent end of a trial's log (`TrialLogSender`): inside the completion, or sent alone before the last report. */
export interface LogTail {
  /** Attempt the lines belong to. */
  attempt: number;
  /** The queued lines, handed over to go inside the completion; null when they do not fit one (then `send`). */
  take: () => Promise<TrialLogEntry[] | null>;
  /** Sends the queued lines alone and takes no more. */
  send: () => Promise<void>;
}

/** A stop the scheduler decided (user cancel, pruner), and how it reached this worker. */
export interface StopDecision {
  /** `cancel`, `prune` or `pause` (the checkpoint is kept: ASHA may promote the trial later). */
  decision: TrialStopOrder['decision'];
  /** Pushed on `/workers`, or in the answer to a report. */
  via: 'push' | 'report answer';
}

/** How the final report went: sent, the trial ended first, refused outright, or the worker gave up. */
export type Delivery = 'delivered' | 'ended' | 'refused' | 'abandoned';

/**
 * Sends one trial's reports in order, each retried with capped backoff while the scheduler is
 * unreachable, until it is accepted or a definitive answer comes. Training never waits for the
 * network: epoch reports queue (in memory, bounded) and go out as soon as the scheduler answers.
 */
export class TrialReporter {
  private readonly queue: ReportQueue;
  private readonly giveUp = new AbortController();
  private draining: Promise<void> | null = null;
  private spaceFreed: (() => void) | null = null;
  private lastAccepted: TrialReport | null = null;
  /** The trial's last report, once `finish` queued it (nothing is queued after it). */
  private final: TrialReport | null = null;
  /** Ends a lone epoch report's wait for the next report: something was queued (or the reporter stops). */
  private queuedMore: (() => void) | null = null;
  /** The trial's process has ended: no epoch follows, only the last report (`finish`). */
  private processGone = false;
  /** Why the trial ended on the scheduler's word (cancelled, lease lost): nothing more is sent. */
  ended: string | null = null;
  /** The scheduler's decision that ended it, when one did (not a lost lease or a heartbeat's stop). */
  decided: StopDecision | null = null;
  /** A report the scheduler refused outright: training stops, and a `failed` report may still go. */
  refused: string | null = null;

  constructor(private readonly o: TrialReporterOptions) {
    this.queue = o.queue ?? new MemoryReportQueue();
  }

  /** Queues an epoch report; waits only while the queue is full. */
  async epoch(report: Extract<TrialReport, { type: 'epoch' }>): Promise<void> {
    while (this.open && this.queue.length >= (this.o.maxQueued ?? MAX_QUEUED_REPORTS)) {
      await new Promise<void>((resolve) => (this.spaceFreed = resolve));
    }
    if (!this.open) return;
    try {
      await this.queue.push(report);
    } catch (err) {
      // The outbox is full (the scheduler has been away too long): training stops, the checkpoint keeps the epochs.
      return this.refuse(describe(err));
    }
    this.queuedMore?.();
    this.kick();
  }

  /**
   * Queues the trial's last report (`completed`, `failed` or `released`) after the epochs still
   * queued and waits until all went out, the trial ended, or `abandon` was called.
   */
  async finish(report: TrialReport): Promise<Delivery> {
    if (this.ended) return 'ended';
    this.refused = null; // a failure report is worth a try after a refused epoch report
    report = await this.withLogTail(report);
    this.final = report;
    await this.queue.push(report);
    this.queuedMore?.();
    this.kick();
    while (this.draining) await this.draining;
    if (this.lastAccepted === report) return 'delivered';
    if (this.ended) return 'ended';
    return this.refused ? 'refused' : 'abandoned';
  }

  /**
   * The trial's process has exited: an epoch report waiting for the next report now waits for
   * `finish` (the agent always calls it, or `abandon`, or the scheduler ends the trial).
   */
  processEnded(): void {
    this.processGone = true;
  }

  /** The scheduler says stop (a decision, a heartbeat answer, a lost lease): drop what is queued and stop training. */
  end(reason: string, decided?: StopDecision): void {
    if (this.ended) return;
    this.ended = reason;
    this.decided = decided ?? null;
    this.drop();
    this.o.onStop(reason);
  }

  /** The worker is going away: stop retrying; what is still queued is not sent from here (an on-disk outbox keeps it for the next start). */
  abandon(): void {
    this.giveUp.abort();
    this.queuedMore?.();
    this.queue.detach();
    this.spaceFreed?.();
  }

  private get open(): boolean {
    return !this.ended && !this.refused && !this.giveUp.signal.aborted;
  }

  private drop(): void {
    this.queuedMore?.();
    this.queue.clear();
    this.spaceFreed?.();
  }

  private kick(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      // A report queued after the loop saw an empty queue, but before this ran, still goes out.
      if (this.queue.length > 0 && !this.ended && !this.giveUp.signal.aborted) this.kick();
    });
  }

  private async drain(): Promise<void> {
    const backoff = new Backoff(this.o.backoff);
    while (this.queue.length > 0 && !this.ended && !this.giveUp.signal.aborted) {
      if (this.folds && this.queue.length === 1 && !this.final && this.queue.peek()!.type === 'epoch') {
        await this.nextReportOrWindow();
        if (this.queue.peek() === undefined || this.ended || this.giveUp.signal.aborted) break;
      }
      const report = this.queue.peek()!;
      const folded = this.foldable(report);
      const sent = this.withNextLease(folded ?? report);
      let answer: ReportResponse;
      try {
        answer = await this.o.connection.api.report(this.o.trialId, sent);
      } catch (err) {
        if (this.o.connection.sortFailure(err)) {
          await pause(backoff.next(), this.giveUp.signal);
          continue;
        }
        this.definitive(report, err);
        continue;
      }
      this.o.connection.noteAnswer();
      backoff.reset();
      if (sent.type === 'completed' && sent.nextLease && answer.next !== undefined) this.o.connection.nextLeases?.leased(this.o.trialId, answer.next);
      // A folded completion's answer is the epoch's when that stopped the trial: the completion was not applied then.
      this.lastAccepted = folded && !answer.cancel ? this.final : report;
      // The queue may have been dropped (and refilled) while the report was on its way.
      if (this.queue.peek() === report) this.queue.shift();
      if (folded && this.queue.peek() === this.final) this.queue.shift();
      this.spaceFreed?.();
      if (answer.cancel || answer.decision !== 'continue') {
        // A scheduler of the first release answers only `cancel: true`: that was a cancel.
        const decision = answer.decision === 'continue' ? 'cancel' : answer.decision;
        this.end(answer.reason ?? 'cancelled by the scheduler', { decision, via: 'report answer' });
      }
    }
  }

  /**
   * The log tail goes first: inside a completion when the scheduler stores a completion's `logs`
   * (one call per trial fewer; kept in the outbox with the report, so a replay after an outage
   * sends it again and the scheduler stores each line once), else alone, as an older one needs.
   */
  private async withLogTail(report: TrialReport): Promise<TrialReport> {
    const tail = this.o.logTail;
    if (!tail) return report;
    if (report.type === 'completed' && this.applies('logs')) {
      const lines = await tail.take();
      if (lines) return lines.length > 0 ? { ...report, logs: { attempt: tail.attempt, lines } } : report;
    }
    await tail.send();
    return report;
  }

  /** Whether the scheduler applies a completion's `lastEpoch` (an older one would drop the epoch). */
  private get folds(): boolean {
    return this.applies('lastEpoch');
  }

  /** Whether the scheduler this worker registered with applies `extra` of a completion (an older one drops what it does not know). */
  private applies(extra: RegisterWorkerResponse['completionExtras'][number]): boolean {
    return this.o.connection.registration.completionExtras.includes(extra);
  }

  /**
   * Waits until another report is queued, or `foldWindowMs` passed while the process still ran.
   * After the process ended it waits for the last report, at most `MAX_HOLD_AFTER_EXIT_MS` (the
   * checkpoint upload and the log tail come first; a run that fails before its last report must
   * not keep the epoch forever).
   */
  private nextReportOrWindow(): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const done = () => {
        if (this.queuedMore !== done) return; // this wait is over already
        clearTimeout(timer);
        this.queuedMore = null;
        resolve();
      };
      timer = setTimeout(() => {
        if (!this.processGone) return done();
        timer = setTimeout(done, MAX_HOLD_AFTER_EXIT_MS);
      }, this.o.foldWindowMs ?? FOLD_WINDOW_MS);
      this.queuedMore = done;
    });
  }

  /**
   * The trial's completion, to send with `report` (`lastEpoch`), when the queue holds just this
   * epoch report and the completion.
   */
  private foldable(report: TrialReport): Extract<TrialReport, { type: 'completed' }> | null {
    if (report.type !== 'epoch' || this.queue.length !== 2 || this.final?.type !== 'completed') return null;
    if (!this.folds) return null;
    return { ...this.final, lastEpoch: { step: report.step, metrics: report.metrics } };
  }

  /**
   * A completion asks for the worker's next trial in the same call (`nextLease`), asked when it
   * leaves (not when it was queued: slots free up meanwhile). The queue keeps the report as written.
   */
  private withNextLease(report: TrialReport): TrialReport {
    if (report.type !== 'completed' || !this.applies('nextLease')) return report;
    const ask = this.o.connection.nextLeases?.askAfter(this.o.trialId);
    return ask ? { ...report, nextLease: ask } : report;
  }

  /** A refusal that no retry changes. */
  private definitive(report: TrialReport, err: unknown): void {
    if (err instanceof ApiError && (err.code === ErrorCode.LeaseNotHeld || err.code === ErrorCode.TrialFinished)) return this.end(err.message);
    if (isWorkerNotFound(err)) {
      void this.o.connection.reregister(report.workerId).catch(() => undefined);
      return this.end(`the scheduler no longer knows this worker (${describe(err)})`);
    }
    // Registered again meanwhile (the scheduler had forgotten it): the lease went with the old id.
    if (report.workerId !== this.o.connection.workerId) return this.end(`its lease belonged to this worker's previous registration ${report.workerId}`);
    // e.g. 400: the report itself is wrong (a metric out of range). Training cannot go on without
    // its reports; the trial fails, with the reason, through a `failed` report.
    this.refuse(`the scheduler refused the ${report.type} report${'step' in report ? ` for step ${report.step}` : ''}: ${describe(err)}`);
  }

  /** Training cannot go on without its reports: it stops, and the trial fails with `reason` through a `failed` report. */
  private refuse(reason: string): void {
    this.refused = reason;
    this.drop();
    this.o.onStop(reason);
  }
}
