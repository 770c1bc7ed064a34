import type { LeasedTrial, TrialReport, TrialStopOrder } from '@ablate/contracts';
import type { runTrial as RunTrial } from '@ablate/models';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, type SchedulerConnection } from './scheduler-connection.js';
import { TrialReporter, type Delivery } from './trial-reporter.js';
import type { BackoffOptions } from './backoff.js';

export interface TrialRunOptions {
  trial: LeasedTrial;
  connection: SchedulerConnection;
  runTrial: typeof RunTrial;
  artifactsDir: string;
  dataRoots?: readonly string[] | undefined;
  backend: string | undefined;
  backoff?: BackoffOptions | undefined;
  log: (line: string) => void;
}

/**
 * One leased trial on this worker: trains it with the models package while its reporter delivers
 * each epoch, then reports how it ended. An outage never fails it: only the scheduler's word
 * (cancelled, lease lost), the trial's own error, or the worker stopping end it.
 */
export class TrialRun {
  private readonly abort = new AbortController();
  private readonly reporter: TrialReporter;
  private shuttingDown = false;
  private readonly checkpointDir: string;
  readonly label: string;

  constructor(private readonly o: TrialRunOptions) {
    const t = o.trial;
    this.label = `trial ${t.id} (${t.template}, attempt ${t.attempt})`;
    this.checkpointDir = path.join(o.artifactsDir, 'trials', t.id);
    this.reporter = new TrialReporter({ trialId: t.id, connection: o.connection, backoff: o.backoff, onStop: () => this.stopTraining() });
  }

  get id(): string {
    return this.o.trial.id;
  }

  /** The scheduler said stop: training ends after the current batch and nothing more is reported. */
  stop(reason: string): void {
    this.reporter.end(reason);
  }

  /** A stop decision pushed on `/workers`: the same as `stop`, seconds or minutes sooner than a report answer. */
  obey(order: TrialStopOrder): void {
    this.reporter.end(order.reason, { decision: order.decision, via: 'push' });
  }

  /** The worker is stopping: training ends and the trial is handed back; delivery gives up after `graceMs`. */
  shutdown(graceMs: number): void {
    this.shuttingDown = true;
    this.abort.abort();
    setTimeout(() => this.reporter.abandon(), graceMs).unref();
  }

  async run(): Promise<void> {
    const { trial } = this.o;
    const resume = trial.resumeAfterStep === null ? '' : ` (the scheduler holds steps up to ${trial.resumeAfterStep})`;
    this.log(`started with ${JSON.stringify(trial.params)}${resume}`);
    const workerId = this.o.connection.workerId;
    try {
      const result = await this.o.runTrial({
        template: trial.template,
        params: trial.params,
        signal: this.abort.signal,
        checkpointDir: this.checkpointDir,
        resumeAfterStep: trial.resumeAfterStep,
        ...(this.o.dataRoots ? { dataRoots: this.o.dataRoots } : {}),
        log: (line) => this.log(line),
        onEpoch: (step, metrics) => this.reporter.epoch({ type: 'epoch', workerId, step, metrics, ...(this.o.backend ? { backend: this.o.backend } : {}) }),
      });
      if (this.reporter.ended) return await this.stopped();
      const report: TrialReport = { type: 'completed', workerId, step: result.step, metrics: result.metrics, backend: result.backend };
      const delivery = await this.reporter.finish(report);
      // An epoch report (or this one) refused outright: the trial cannot count as completed.
      if (delivery === 'refused') return await this.fail(workerId, this.reporter.refused ?? 'refused', true);
      await this.logDelivery(delivery, `completed ${formatMetrics(result.metrics)}`, 'completion');
    } catch (err) {
      await this.ended(workerId, err);
    }
  }

  private async ended(workerId: string, err: unknown): Promise<void> {
    if (this.reporter.ended) return await this.stopped();
    if (this.shuttingDown && isAbort(err)) {
      const reason = 'The worker was stopped; the trial went back to the queue.';
      this.log('released: the worker is stopping');
      return await this.logDelivery(await this.reporter.finish({ type: 'released', workerId, reason }), 'handed back', 'hand-back');
    }
    await this.fail(workerId, this.reporter.refused ?? describe(err), !isPermanent(err));
  }

  /** The reporter ended the trial: one line with the decision and its reason, then training stops after this batch. */
  private stopTraining(): void {
    const decided = this.reporter.decided;
    if (decided) this.log(`decision ${decided.decision} (${decided.via}): ${this.reporter.ended ?? ''}`);
    this.abort.abort();
  }

  /**
   * Training has stopped on the scheduler's word. A paused trial keeps its checkpoint: ASHA may
   * promote it, and whichever worker leases it then resumes from there (the folder is shared). A
   * cancelled or pruned one never runs again, so its checkpoint goes.
   */
  private async stopped(): Promise<void> {
    const decision = this.reporter.decided?.decision;
    const reason = this.reporter.ended ?? 'ended by the scheduler';
    if (decision === 'pause') return this.log(`stopped (paused: ${reason}; checkpoint kept in ${this.checkpointDir})`);
    if (decision === undefined) return this.log(`stopped (${reason})`);
    await rm(this.checkpointDir, { recursive: true, force: true }).catch((err: unknown) =>
      this.log(`could not remove the checkpoint in ${this.checkpointDir}: ${describe(err)}`),
    );
    this.log(`stopped (${decision === 'prune' ? 'pruned' : 'cancelled'}: ${reason})`);
  }

  private async fail(workerId: string, message: string, retryable: boolean): Promise<void> {
    this.log(`failed: ${message}`);
    await this.logDelivery(await this.reporter.finish({ type: 'failed', workerId, error: storable(message, 4000), retryable }), 'failure reported', 'failure report');
  }

  /** One line per ending; it starts with the outcome (`completed`, `stopped`, `abandoned`, ...), which log readers key on. */
  private async logDelivery(delivery: Delivery, done: string, report: string): Promise<void> {
    switch (delivery) {
      case 'delivered':
        return this.log(done);
      case 'ended':
        return await this.stopped();
      case 'refused':
        return this.log(`abandoned: the scheduler refused the ${report} (${this.reporter.refused ?? 'refused'}); the lease will expire and requeue it`);
      case 'abandoned':
        return this.log(`abandoned: the ${report} was not delivered before the worker stopped; the lease will expire and requeue it`);
    }
  }

  private log(line: string): void {
    this.o.log(`${this.label}: ${line}`);
  }
}

function isAbort(err: unknown): boolean {
  return (err as Error | null)?.name === 'AbortError';
}

/** Errors a retry cannot fix: invalid params or data named by the models package. */
function isPermanent(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ZodError' || err.name === 'DatasetError' || err.name === 'ConfigError');
}

/** `s` as text the scheduler can store: at most `max` characters, no NUL, no lone surrogate. */
function storable(s: string, max: number): string {
  const clipped = s.length <= max ? s : s.slice(0, max - 1);
  return clipped.replaceAll('\0', '?').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ');
}
