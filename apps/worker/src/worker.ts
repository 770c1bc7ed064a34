import { ApiClient, ApiError, ErrorCode, type LeasedTrial } from '@ablate/contracts';
import { initBackend, runTrial } from '@ablate/models';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerConfig } from './worker.config.js';

export interface WorkerEvents {
  /** A line for the log. */
  log?: (line: string) => void;
}

/** Thrown inside a trial when the scheduler says stop (cancelled) or the lease was lost. */
class TrialStopped extends Error {}

/**
 * The agent on a worker node: registers, leases one trial at a time, trains it with the models
 * package, reports every epoch, and heartbeats so the scheduler knows it is alive.
 */
export class Worker {
  private readonly api: ApiClient;
  private readonly log: (line: string) => void;
  private stopping = false;
  private current: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  workerId: string | null = null;
  backend: string | null = null;

  constructor(
    private readonly config: WorkerConfig,
    events: WorkerEvents = {},
  ) {
    this.api = new ApiClient({ baseUrl: config.apiUrl, token: config.token });
    this.log = events.log ?? ((line) => console.log(line));
  }

  /** Registers and starts the lease loop; resolves once registered. */
  async start(): Promise<void> {
    this.backend = await initBackend();
    const reg = await this.api.registerWorker({ host: this.config.host, slots: 1, backends: [this.backend] });
    this.workerId = reg.workerId;
    this.log(`worker ${reg.workerId} registered (backend ${this.backend})`);
    this.heartbeat = setInterval(() => {
      this.api.heartbeat(reg.workerId).catch((err: unknown) => this.log(`heartbeat failed: ${String(err)}`));
    }, reg.heartbeatIntervalMs);
    this.heartbeat.unref();
    this.loop = this.run(reg.workerId);
  }

  /** Stops leasing; a running trial is aborted and handed back to the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.current?.abort();
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.loop;
  }

  /** Resolves when the loop ends (after `stop`). */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(workerId: string): Promise<void> {
    while (!this.stopping) {
      let leased: LeasedTrial | null = null;
      try {
        leased = (await this.api.leaseTrial(workerId)).trial;
      } catch (err) {
        this.log(`lease failed: ${err instanceof Error ? err.message : String(err)}; retrying`);
      }
      if (leased) await this.runOne(workerId, leased);
      else if (!this.stopping) await sleep(this.config.pollIntervalMs).catch(() => undefined);
    }
  }

  private async runOne(workerId: string, trial: LeasedTrial): Promise<void> {
    const abort = new AbortController();
    this.current = abort;
    const label = `trial ${trial.id} (${trial.template}, attempt ${trial.attempt})`;
    this.log(`${label}: started with ${JSON.stringify(trial.params)}`);
    try {
      const result = await runTrial({
        template: trial.template,
        params: trial.params,
        signal: abort.signal,
        checkpointDir: path.join(this.config.artifactsDir, 'trials', trial.id),
        log: (line) => this.log(`${label}: ${line}`),
        onEpoch: async (step, metrics) => {
          const res = await this.api.report(trial.id, { type: 'epoch', workerId, step, metrics, backend: this.backend ?? undefined });
          this.log(`${label}: epoch ${step} ${formatMetrics(metrics)}`);
          if (res.cancel) throw new TrialStopped('cancelled by the scheduler');
        },
      });
      await this.api.report(trial.id, { type: 'completed', workerId, step: result.step, metrics: result.metrics, backend: result.backend });
      this.log(`${label}: completed ${formatMetrics(result.metrics)}`);
    } catch (err) {
      await this.handleFailure(workerId, trial, label, err);
    } finally {
      this.current = null;
    }
  }

  private async handleFailure(workerId: string, trial: LeasedTrial, label: string, err: unknown): Promise<void> {
    if (err instanceof TrialStopped) return this.log(`${label}: stopped (${err.message})`);
    if (err instanceof ApiError && (err.code === ErrorCode.LeaseNotHeld || err.code === ErrorCode.TrialFinished)) {
      return this.log(`${label}: abandoned: ${err.message}`);
    }
    const stopped = this.stopping && (err as Error | null)?.name === 'AbortError';
    const message = stopped ? 'The worker was stopped; the trial went back to the queue.' : describe(err);
    this.log(`${label}: ${stopped ? 'released' : 'failed'}: ${message}`);
    try {
      await this.api.report(
        trial.id,
        stopped
          ? { type: 'released', workerId, reason: message }
          : { type: 'failed', workerId, error: message, retryable: !isPermanent(err) },
      );
    } catch (reportErr) {
      this.log(`${label}: could not report the failure (${describe(reportErr)}); the lease will expire and requeue it`);
    }
  }
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Errors a retry cannot fix: invalid params or data named by the models package. */
function isPermanent(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ZodError' || err.name === 'DatasetError' || err.name === 'ConfigError');
}
