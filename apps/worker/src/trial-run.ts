import type { LeasedTrial, TrialStopOrder } from '@ablate/contracts';
import path from 'node:path';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { TrialCheckpoints } from './artifacts/trial-checkpoints.js';
import type { BackoffOptions } from './backoff.js';
import { DiskReportQueue } from './outbox/disk-report-queue.js';
import { describe, type SchedulerConnection } from './scheduler-connection.js';
import type { RunningTrial, TrialEvent, TrialLauncher, TrialOutcome } from './trial-process/trial-process.js';
import { TrialEnding } from './trial-ending.js';
import { TrialLogSender } from './trial-logs/trial-log-sender.js';
import { TrialReporter } from './trial-reporter.js';

export interface TrialRunOptions {
  trial: LeasedTrial;
  connection: SchedulerConnection;
  /** Starts the trial's process (a template child, a command). */
  launcher: TrialLauncher;
  /** GPUs its slot gave it (empty: a CPU slot). */
  gpus: number[];
  artifactsDir: string;
  dataRoots: string[];
  /** Environment its process starts from. */
  env: NodeJS.ProcessEnv;
  /** The node's TF.js backend, named in reports whose process does not say its own. */
  backend?: string;
  /** How long a stopped trial's process has after SIGTERM before SIGKILL. */
  killGraceMs: number;
  /** The agent's report outbox on disk (none: reports wait in memory only). */
  outbox?: { dir: string; maxBytes?: number | undefined } | undefined;
  /** Where its checkpoint is uploaded after each epoch and restored from before a resume (none: the local folder only). */
  artifacts?: ArtifactStore | undefined;
  /** Least time between two checkpoint uploads (`TrialCheckpoints.minPeriodMs`). */
  checkpointMinPeriodMs?: number | undefined;
  backoff?: BackoffOptions | undefined;
  log: (line: string) => void;
}

/**
 * One leased trial on this agent: its process trains (a child, never the agent) while its reporter
 * delivers each epoch, then it reports how the process ended. An outage never fails it: only the
 * scheduler's word (a decision, a lost lease), the trial's own typed failure, or the agent
 * stopping end it. A decision kills the child: SIGTERM, then SIGKILL after `killGraceMs`.
 */
export class TrialRun {
  private readonly reporter: TrialReporter;
  /** The trial's log tail on the scheduler: its process's output and this agent's lines about it. */
  private readonly logs: TrialLogSender;
  private readonly checkpointDir: string;
  /** The checkpoint between the local folder and the artifact store. */
  private readonly checkpoints: TrialCheckpoints | null;
  private process: RunningTrial | null = null;
  private stopAsked = false;
  private shuttingDown = false;
  /** Epoch reports queued in order (the reporter waits only when its queue is full). */
  private epochs: Promise<void> = Promise.resolve();
  readonly label: string;

  constructor(private readonly o: TrialRunOptions) {
    const t = o.trial;
    this.label = `trial ${t.id} (${t.template}, attempt ${t.attempt})`;
    this.checkpointDir = path.join(o.artifactsDir, 'trials', t.id);
    this.reporter = new TrialReporter({
      trialId: t.id,
      connection: o.connection,
      backoff: o.backoff,
      onStop: () => this.stopTraining(),
      logTail: { attempt: t.attempt, take: () => this.logs.takeTail(), send: () => this.logs.close() },
      ...(o.outbox
        ? { queue: new DiskReportQueue({ ...o.outbox, trialId: t.id, identity: () => o.connection.registration, log: (line) => this.log(line) }) }
        : {}),
    });
    this.checkpoints = o.artifacts
      ? new TrialCheckpoints({ store: o.artifacts, trialId: t.id, checkpointDir: this.checkpointDir, backoff: o.backoff, minPeriodMs: o.checkpointMinPeriodMs, log: (line) => this.log(line) })
      : null;
    this.logs = new TrialLogSender({
      attempt: t.attempt,
      workerId: () => o.connection.workerId,
      send: (batch) => o.connection.api.sendTrialLogs(t.id, batch),
      log: (line) => o.log(`${this.label}: ${line}`),
    });
  }

  get id(): string {
    return this.o.trial.id;
  }

  /** Pid of the trial's process (tests kill it). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The scheduler said stop: the child is stopped and nothing more is reported. */
  stop(reason: string): void {
    this.reporter.end(reason);
  }

  /** A stop decision pushed on `/workers`: the same as `stop`, seconds or minutes sooner than a report answer. */
  obey(order: TrialStopOrder): void {
    this.reporter.end(order.reason, { decision: order.decision, via: 'push' });
  }

  /** The agent is stopping: the child checkpoints and exits, the trial is handed back; delivery gives up after `graceMs`. */
  shutdown(graceMs: number): void {
    this.shuttingDown = true;
    this.halt();
    setTimeout(() => {
      this.reporter.abandon();
      this.checkpoints?.abandon();
    }, graceMs).unref();
  }

  async run(): Promise<void> {
    const { trial, gpus } = this.o;
    const resume =
      trial.resumeAfterStep === null ? '' : ` (the scheduler holds steps up to ${trial.resumeAfterStep})`;
    const where = gpus.length > 0 ? ` on GPU ${gpus.join(',')}` : '';
    this.log(`started with ${JSON.stringify(trial.params)}${resume}${where}`);
    const workerId = this.o.connection.workerId;
    let outcome: TrialOutcome;
    try {
      const launch = {
        trial,
        checkpointDir: this.checkpointDir,
        gpus,
        dataRoots: this.o.dataRoots,
        env: this.o.env,
      };
      if (trial.resumeAfterStep !== null) await this.checkpoints?.restore();
      this.process = this.o.launcher(launch);
      if (this.stopAsked) this.halt();
      this.process.onEvent((event) => this.onEvent(event, workerId));
      outcome = await this.process.outcome;
    } catch (err) {
      outcome = {
        type: 'failed',
        error: { code: 'internal', retryable: true, message: `could not run the trial: ${describe(err)}` },
        exitCode: null,
        signal: null,
      };
    }
    // The last report follows once the checkpoint and the log tail are stored: a last epoch report still waiting goes inside it.
    this.reporter.processEnded();
    await this.epochs;
    await this.settleCheckpoint();
    // The tail's last lines go with the last report (the reporter's `finish`: inside a completion, else
    // alone before it); when the scheduler ended the trial there is none, and they go now.
    this.logs.line('agent', outcomeLine(outcome));
    if (this.reporter.ended) await this.logs.close();
    const ending = new TrialEnding({
      reporter: this.reporter,
      workerId,
      checkpointDir: this.checkpointDir,
      backend: this.o.backend,
      log: (l) => this.log(l),
    });
    await ending.report(outcome, this.shuttingDown);
    // Lines that found no last report to go with (the scheduler ended the trial meanwhile); nothing, usually.
    await this.logs.close();
  }

  private onEvent(event: TrialEvent, workerId: string): void {
    switch (event.type) {
      case 'epoch': {
        const backend = event.backend ?? this.o.backend;
        const report = {
          type: 'epoch' as const,
          workerId,
          step: event.step,
          metrics: event.metrics,
          ...(backend ? { backend } : {}),
        };
        this.epochs = this.epochs.then(() => this.reporter.epoch(report));
        return;
      }
      case 'checkpoint':
        return this.checkpoints?.saved(event.step);
      case 'log':
        this.logs.line(event.stream, event.line);
        return this.o.log(`${this.label}: ${event.stream === 'stderr' ? `stderr: ${event.line}` : event.line}`);
    }
  }

  /**
   * Before the last report, while this agent still holds the lease: the last checkpoint is stored,
   * so whichever node runs the trial next resumes from it; a cancelled or pruned trial's goes.
   */
  private async settleCheckpoint(): Promise<void> {
    const decision = this.reporter.decided?.decision;
    if (decision === 'cancel' || decision === 'prune') return await this.checkpoints?.discard();
    // Paused, or the lease is gone: the store takes nothing more from this agent (a pause keeps what it has).
    if (this.reporter.ended) return this.checkpoints?.abandon();
    await this.checkpoints?.flush();
  }

  /** The reporter ended the trial: one line with the decision and its reason, then the child is stopped. */
  private stopTraining(): void {
    const decided = this.reporter.decided;
    if (decided) this.log(`decision ${decided.decision} (${decided.via}): ${this.reporter.ended ?? ''}`);
    this.halt();
  }

  private halt(): void {
    this.stopAsked = true;
    void this.process?.stop(this.o.killGraceMs);
  }

  private log(line: string): void {
    this.logs.line('agent', line);
    this.o.log(`${this.label}: ${line}`);
  }
}

/** How the trial's process ended, as the last line of its log tail (a failure with its code, exit status and message). */
function outcomeLine(outcome: TrialOutcome): string {
  switch (outcome.type) {
    case 'completed':
      return `process ended: completed at step ${outcome.step}`;
    case 'stopped':
      return 'process ended: stopped';
    case 'failed': {
      const status = outcome.signal ? `, ${outcome.signal}` : outcome.exitCode === null ? '' : `, exit code ${outcome.exitCode}`;
      return `process ended: failed (${outcome.error.code}${status}): ${outcome.error.message}`;
    }
  }
}
