import type { LeasedTrial, TrialStopOrder } from '@ablate/contracts';
import { resolveDataRoots } from '@ablate/models';
import { packageVersion } from '@ablate/contracts/node';
import path from 'node:path';
import { commandLauncher } from './command/command-launcher.js';
import { loadCommandPolicy } from './command/command-policy.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { createArtifactStore } from './artifacts/artifact-store.config.js';
import { NvidiaSmiProbe } from './gpu/gpu-probe.js';
import { HeartbeatLoop } from './heartbeat-loop.js';
import { LeaseLoop } from './lease-loop.js';
import { replayOutboxes } from './outbox/outbox-replay.js';
import { SchedulerConnection } from './scheduler-connection.js';
import { describeLayout, resolveSlots } from './slots/slot-layout.js';
import { SlotPool, type Placement } from './slots/slot-pool.js';
import { NodeTelemetry } from './telemetry/node-telemetry.js';
import { probeTemplateBackend, templateLauncher } from './trial-process/template-launcher.js';
import type { TrialLauncher } from './trial-process/trial-process.js';
import { TrialReporter } from './trial-reporter.js';
import { TrialRun } from './trial-run.js';
import type { WorkerConfig } from './worker.config.js';

/** This agent's release (its package's version), sent at registration: the workers page shows it, so a half-upgraded cluster is seen. */
export const AGENT_VERSION = packageVersion(import.meta.url, '@ablate/worker');
import { WorkerPushChannel } from './worker-push-channel.js';

export interface WorkerEvents {
  /** A line for the log. */
  log?: (line: string) => void;
}

/** How long a stopping worker keeps trying to hand its trials back before it gives up. */
const DEFAULT_STOP_GRACE_MS = 5_000;

/**
 * The agent on a worker node: finds its GPUs and sizes its slots, registers, keeps every slot busy
 * with a leased trial, each trained in a child process of its own, reports every epoch, and
 * heartbeats with the trials it runs and the node's gauges. It rides out scheduler and database
 * outages: reports queue and are retried, children keep training, and nothing is abandoned. A
 * child that crashes, runs out of memory or hangs fails its own trial and nothing else.
 */
export class Worker {
  private readonly log: (line: string) => void;
  private readonly stopping = new AbortController();
  private readonly running = new Map<string, TrialRun>();
  private connection: SchedulerConnection | null = null;
  private heartbeat: HeartbeatLoop | null = null;
  private push: WorkerPushChannel | null = null;
  private loop: Promise<void> | null = null;
  private launchers: Partial<Record<string, TrialLauncher>> = {};
  private pool: SlotPool | null = null;
  /** Where checkpoints go between attempts (default: the scheduler). */
  private artifacts: ArtifactStore | null = null;
  /** Reports earlier runs of an agent on this node left in the outbox, being sent. */
  private replay: Promise<unknown> = Promise.resolve();
  backend: string | null = null;

  constructor(
    private readonly config: WorkerConfig,
    events: WorkerEvents = {},
  ) {
    this.log = events.log ?? ((line) => console.log(line));
  }

  /** The id of the current registration (null before `start`). */
  get workerId(): string | null {
    return this.connection?.registration.workerId ?? null;
  }

  /** The trials running now, by id (tests read their pids). */
  get trials(): ReadonlyMap<string, TrialRun> {
    return this.running;
  }

  /** Sizes the slots, registers (waiting for the scheduler if it is not up yet) and starts leasing. */
  async start(): Promise<void> {
    const c = this.config;
    const env = c.env ?? process.env;
    const probe = c.gpuProbe ?? new NvidiaSmiProbe(this.log, 'nvidia-smi', env);
    const slots = await resolveSlots(probe, {
      gpus: c.gpus,
      trialsPerGpu: c.trialsPerGpu,
      cpuSlots: c.cpuSlots,
      env,
    });
    const pool = new SlotPool(slots.layout);
    this.pool = pool;
    this.backend = c.backend ?? (await probeTemplateBackend(env));
    const template = templateLauncher({ hangTimeoutMs: c.hangTimeoutMs ?? 30 * 60_000 });
    const policy = c.commandPolicy ?? loadCommandPolicy(env);
    const command = commandLauncher({ policy, timeoutGraceMs: c.killGraceMs ?? 10_000 });
    // Registered, so that the scheduler hands command trials only to workers that run them.
    const runsCommands = c.launchers?.['command'] !== undefined || (policy.allow !== 'none' && policy.allow.length > 0);
    this.launchers = { command, ...c.launchers, default: c.launchers?.['default'] ?? template };
    const connection = new SchedulerConnection({
      apiUrl: c.apiUrl,
      token: c.token,
      log: this.log,
      backoff: c.backoff,
      ...(c.fetch ? { fetch: c.fetch } : {}),
      registration: {
        host: c.host,
        slots: pool.size,
        backends: [this.backend],
        gpus: slots.gpus,
        trialsPerGpu: slots.layout.trialsPerGpu,
        cpuSlots: slots.layout.cpuSlots,
        commands: runsCommands,
        version: AGENT_VERSION,
      },
    });
    const reg = await connection.register(this.stopping.signal);
    this.connection = connection;
    this.log(
      `worker ${reg.workerId} registered (agent ${AGENT_VERSION}; backend ${this.backend}; ${pool.size} slot${pool.size === 1 ? '' : 's'}: ${describeLayout(slots.layout)}; ${runsCommands ? 'runs' : 'no'} command trials${runsCommands ? '' : ' (ABLATE_ALLOW_COMMANDS)'}; data roots ${resolveDataRoots(c.dataRoots).join(', ')})`,
    );
    this.artifacts = createArtifactStore(c.artifactStore ?? { kind: 'scheduler' }, { apiUrl: c.apiUrl, token: c.token, connection, fetch: c.fetch });
    this.log(`checkpoints are kept in ${this.artifacts.name}; local copies in ${c.artifactsDir}`);
    this.replay = replayOutboxes({ dir: this.outboxDir, apiUrl: c.apiUrl, token: c.token, log: this.log, signal: this.stopping.signal, backoff: c.backoff, fetch: c.fetch })
      .catch((err: unknown) => this.log(`outbox: could not send what an earlier run left in ${this.outboxDir}: ${err instanceof Error ? err.message : String(err)}`));
    const telemetry = new NodeTelemetry({
      gpuProbe: slots.gpus.length > 0 ? probe : null,
      gpus: slots.layout.gpus,
      slots: () => pool.describe(),
    });
    this.heartbeat = new HeartbeatLoop({
      connection,
      log: this.log,
      telemetry: () => telemetry.sample(),
      running: () => [...this.running.keys()],
      stop: (id, reason) => this.running.get(id)?.stop(reason),
    });
    this.heartbeat.start();
    if (c.push !== false) {
      this.push = new WorkerPushChannel({
        apiUrl: c.apiUrl,
        token: c.token,
        connection,
        log: this.log,
        backoff: c.backoff,
        onStop: (order) => this.obey(order),
      });
      this.push.start();
    }
    const leases = new LeaseLoop({
      connection,
      pool,
      pollIntervalMs: c.pollIntervalMs,
      backoff: c.backoff,
      signal: this.stopping.signal,
      log: this.log,
      run: (trial, placement) => this.runTrial(connection, trial, placement),
    });
    this.loop = leases.run();
  }

  /** Stops leasing; running trials' children checkpoint and exit, and the trials are handed back. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const run of this.running.values()) run.shutdown(this.config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    await this.loop;
    await this.replay;
    await this.heartbeat?.stop();
    this.push?.close();
    this.connection?.close();
  }

  /** Where reports not yet accepted are kept on disk, so that a restart of the agent sends them. */
  private get outboxDir(): string {
    return this.config.outboxDir ?? path.join(this.config.artifactsDir, 'outbox');
  }

  /** True once the push channel's handshake was accepted (tests wait for it). */
  get pushConnected(): boolean {
    return this.push?.connected ?? false;
  }

  /** Slots in all (after `start`). */
  get slots(): number {
    return this.pool?.size ?? 0;
  }

  /** Resolves when the loop ends (after `stop`). */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  /** A pushed stop: the trial's child is stopped (a stale order for a trial that already ended here is ignored). */
  private obey(order: TrialStopOrder): void {
    const run = this.running.get(order.trialId);
    if (run) run.obey(order);
    else
      this.log(`push: ${order.decision} for trial ${order.trialId}, which this worker does not run; ignored`);
  }

  private async runTrial(
    connection: SchedulerConnection,
    trial: LeasedTrial,
    placement: Placement | null,
  ): Promise<void> {
    if (!placement)
      return this.handBack(
        connection,
        trial,
        `The worker had not the ${trial.gpus} GPU(s) free that the trial needs; it went back to the queue.`,
      );
    const c = this.config;
    const run = new TrialRun({
      trial,
      connection,
      log: this.log,
      backoff: c.backoff,
      gpus: placement.gpus,
      launcher: this.launchers[trial.template] ?? this.launchers['default']!,
      artifactsDir: c.artifactsDir,
      dataRoots: resolveDataRoots(c.dataRoots),
      env: c.env ?? process.env,
      killGraceMs: c.killGraceMs ?? 10_000,
      artifacts: this.artifacts ?? undefined,
      checkpointMinPeriodMs: c.checkpointMinPeriodMs,
      outbox: { dir: this.outboxDir, maxBytes: c.outboxMaxBytes },
      ...(this.backend ? { backend: this.backend } : {}),
    });
    this.running.set(trial.id, run);
    try {
      if (this.stopping.signal.aborted) run.shutdown(c.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      await run.run();
    } finally {
      this.running.delete(trial.id);
    }
  }

  private async handBack(connection: SchedulerConnection, trial: LeasedTrial, reason: string): Promise<void> {
    const reporter = new TrialReporter({
      trialId: trial.id,
      connection,
      backoff: this.config.backoff,
      onStop: () => undefined,
    });
    setTimeout(() => reporter.abandon(), this.config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS).unref();
    await reporter.finish({ type: 'released', workerId: connection.workerId, reason });
  }
}
