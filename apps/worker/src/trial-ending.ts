import type { TrialErrorInfo, TrialReport } from '@ablate/contracts';
import { rm } from 'node:fs/promises';
import { describe } from './scheduler-connection.js';
import { scrubText } from './storable-text.js';
import type { TrialOutcome } from './trial-process/trial-process.js';
import type { Delivery, TrialReporter } from './trial-reporter.js';

export interface TrialEndingOptions {
  reporter: TrialReporter;
  /** The registration the trial was leased under (reports name it). */
  workerId: string;
  checkpointDir: string;
  /** The node's TF.js backend, when the process did not name its own. */
  backend?: string | undefined;
  /** Logs a line for the trial (prefixed with its label). */
  log: (line: string) => void;
}

/**
 * The end of one trial run: the report its outcome calls for (`completed`, `failed` with its
 * typed code, `released`), or nothing when the scheduler already ended it (a decision or a lost
 * lease, after which a cancelled or pruned trial's checkpoint is removed), and one log line that
 * starts with how it ended (`completed`, `failed`, `stopped`, `released`, `abandoned`), which log
 * readers (the chaos test) key on.
 */
export class TrialEnding {
  constructor(private readonly o: TrialEndingOptions) {}

  /** Reports how the trial's process ended (or what the scheduler decided meanwhile) and logs the one line for it. */
  async report(outcome: TrialOutcome, shuttingDown: boolean): Promise<void> {
    const { workerId } = this.o;
    if (this.o.reporter.ended) return await this.stopped();
    if (this.o.reporter.refused)
      return await this.fail({ code: 'internal', retryable: true, message: this.o.reporter.refused });
    switch (outcome.type) {
      case 'completed': {
        const backend = outcome.backend ?? this.o.backend;
        const report: TrialReport = {
          type: 'completed',
          workerId,
          step: outcome.step,
          ...(outcome.scoreStep === undefined ? {} : { scoreStep: outcome.scoreStep }),
          metrics: outcome.metrics,
          ...(backend ? { backend } : {}),
        };
        const delivery = await this.o.reporter.finish(report);
        // An epoch report (or this one) refused outright: the trial cannot count as completed.
        if (delivery === 'refused')
          return await this.fail({
            code: 'internal',
            retryable: true,
            message: this.o.reporter.refused ?? 'refused',
          });
        return await this.logDelivery(delivery, `completed ${formatMetrics(outcome.metrics)}`, 'completion');
      }
      case 'failed':
        return await this.fail(outcome.error);
      case 'stopped':
        return await this.release(shuttingDown);
    }
  }

  /** Handed back: the agent is stopping (or the child stopped without a decision); requeued at once, without a retry. */
  private async release(shuttingDown: boolean): Promise<void> {
    const { workerId } = this.o;
    const reason = shuttingDown
      ? 'The worker was stopped; the trial went back to the queue.'
      : 'The trial process stopped without a decision; the trial went back to the queue.';
    this.o.log(`released: ${shuttingDown ? 'the worker is stopping' : 'its process stopped'}`);
    await this.logDelivery(
      await this.o.reporter.finish({ type: 'released', workerId, reason }),
      'handed back',
      'hand-back',
    );
  }

  /**
   * The child has exited on the scheduler's word. A paused trial keeps its checkpoint: ASHA may
   * promote it, and whichever worker leases it then resumes from there. A cancelled or pruned one
   * never runs again, so its checkpoint goes (only now: the child no longer writes it).
   */
  private async stopped(): Promise<void> {
    const decision = this.o.reporter.decided?.decision;
    const reason = this.o.reporter.ended ?? 'ended by the scheduler';
    if (decision === 'pause')
      return this.o.log(`stopped (paused: ${reason}; checkpoint kept in ${this.o.checkpointDir})`);
    if (decision === undefined) return this.o.log(`stopped (${reason})`);
    await rm(this.o.checkpointDir, { recursive: true, force: true }).catch((err: unknown) =>
      this.o.log(`could not remove the checkpoint in ${this.o.checkpointDir}: ${describe(err)}`),
    );
    this.o.log(`stopped (${decision === 'prune' ? 'pruned' : 'cancelled'}: ${reason})`);
  }

  private async fail(error: TrialErrorInfo): Promise<void> {
    const { workerId } = this.o;
    this.o.log(`failed (${error.code}${error.retryable ? '' : ', not retryable'}): ${error.message}`);
    const report: TrialReport = {
      type: 'failed',
      workerId,
      error: storable(error.message, 4000),
      retryable: error.retryable,
      code: error.code,
    };
    await this.logDelivery(await this.o.reporter.finish(report), 'failure reported', 'failure report');
  }

  /** One line per ending; it starts with the outcome (`completed`, `stopped`, `abandoned`, ...), which log readers key on. */
  private async logDelivery(delivery: Delivery, done: string, report: string): Promise<void> {
    switch (delivery) {
      case 'delivered':
        return this.o.log(done);
      case 'ended':
        return await this.stopped();
      case 'refused':
        return this.o.log(
          `abandoned: the scheduler refused the ${report} (${this.o.reporter.refused ?? 'refused'}); the lease will expire and requeue it`,
        );
      case 'abandoned':
        return this.o.log(
          `abandoned: the ${report} was not delivered before the worker stopped; the lease will expire and requeue it`,
        );
    }
  }
}

/** `s` as text the scheduler can store: at most `max` characters, no NUL, no lone surrogate. */
function storable(s: string, max: number): string {
  const clipped = s.length <= max ? s : s.slice(0, max - 1);
  return scrubText(clipped || 'failed');
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');
}
