import { type LeasedTrial, type TrialStopOrder } from '@ablate/contracts';
import { initBackend, resolveDataRoots, runTrial } from '@ablate/models';
import { Backoff, pause } from './backoff.js';
import { HeartbeatLoop } from './heartbeat-loop.js';
import { SchedulerConnection, describe, isWorkerNotFound } from './scheduler-connection.js';
import { TrialRun } from './trial-run.js';
import type { WorkerConfig } from './worker.config.js';
import { WorkerPushChannel } from './worker-push-channel.js';

export interface WorkerEvents {
  /** A line for the log. */
  log?: (line: string) => void;
  /** Trains a trial; the models package's `runTrial` unless a test stands in for it. */
  runTrial?: typeof runTrial;
}

/** How long a stopping worker keeps trying to hand its trial back before it gives up. */
const DEFAULT_STOP_GRACE_MS = 5_000;

/**
 * The agent on a worker node: registers, leases one trial at a time, trains it with the models
 * package, reports every epoch, and heartbeats with the trials it runs. It rides out scheduler and
 * database outages: reports queue and are retried, training goes on, and nothing is abandoned.
 */
export class Worker {
  private readonly log: (line: string) => void;
  private readonly stopping = new AbortController();
  private readonly running = new Map<string, TrialRun>();
  private connection: SchedulerConnection | null = null;
  private heartbeat: HeartbeatLoop | null = null;
  private push: WorkerPushChannel | null = null;
  private loop: Promise<void> | null = null;
  backend: string | null = null;

  constructor(
    private readonly config: WorkerConfig,
    private readonly events: WorkerEvents = {},
  ) {
    this.log = events.log ?? ((line) => console.log(line));
  }

  /** The id of the current registration (null before `start`). */
  get workerId(): string | null {
    return this.connection?.registration.workerId ?? null;
  }

  /** Registers (waiting for the scheduler if it is not up yet) and starts the lease loop. */
  async start(): Promise<void> {
    this.backend = await initBackend();
    const connection = new SchedulerConnection({
      apiUrl: this.config.apiUrl, token: this.config.token, log: this.log, backoff: this.config.backoff,
      registration: { host: this.config.host, slots: 1, backends: [this.backend] },
    });
    const reg = await connection.register(this.stopping.signal);
    this.connection = connection;
    this.log(`worker ${reg.workerId} registered (backend ${this.backend}; data roots ${resolveDataRoots(this.config.dataRoots).join(', ')})`);
    this.heartbeat = new HeartbeatLoop({
      connection, log: this.log,
      running: () => [...this.running.keys()],
      stop: (id, reason) => this.running.get(id)?.stop(reason),
    });
    this.heartbeat.start();
    if (this.config.push !== false) {
      this.push = new WorkerPushChannel({
        apiUrl: this.config.apiUrl, token: this.config.token, connection, log: this.log, backoff: this.config.backoff,
        onStop: (order) => this.obey(order),
      });
      this.push.start();
    }
    this.loop = this.run(connection);
  }

  /** Stops leasing; a running trial is aborted and handed back to the queue. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const run of this.running.values()) run.shutdown(this.config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    await this.loop;
    await this.heartbeat?.stop();
    this.push?.close();
    this.connection?.close();
  }

  /** True once the push channel's handshake was accepted (tests wait for it). */
  get pushConnected(): boolean {
    return this.push?.connected ?? false;
  }

  /** Resolves when the loop ends (after `stop`). */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  /** A pushed stop: the trial stops after its current batch (a stale order for a trial that already ended here is ignored). */
  private obey(order: TrialStopOrder): void {
    const run = this.running.get(order.trialId);
    if (run) run.obey(order);
    else this.log(`push: ${order.decision} for trial ${order.trialId}, which this worker does not run; ignored`);
  }

  private async run(connection: SchedulerConnection): Promise<void> {
    const backoff = new Backoff(this.config.backoff);
    while (!this.stopping.signal.aborted) {
      let leased: LeasedTrial | null;
      const workerId = connection.workerId;
      try {
        leased = (await connection.api.leaseTrial(workerId)).trial;
        connection.noteAnswer();
        backoff.reset();
      } catch (err) {
        if (!connection.sortFailure(err)) {
          if (isWorkerNotFound(err)) await connection.reregister(workerId, this.stopping.signal).catch(() => undefined);
          else this.log(`lease refused: ${describe(err)}`);
        }
        await pause(backoff.next(), this.stopping.signal);
        continue;
      }
      if (leased) await this.runOne(connection, leased);
      else await pause(this.config.pollIntervalMs, this.stopping.signal);
    }
  }

  private async runOne(connection: SchedulerConnection, trial: LeasedTrial): Promise<void> {
    const run = new TrialRun({
      trial, connection, log: this.log, backend: this.backend ?? undefined, backoff: this.config.backoff,
      runTrial: this.events.runTrial ?? runTrial, artifactsDir: this.config.artifactsDir, dataRoots: this.config.dataRoots,
    });
    this.running.set(trial.id, run);
    try {
      if (this.stopping.signal.aborted) run.shutdown(this.config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      await run.run();
    } finally {
      this.running.delete(trial.id);
    }
  }
}
