import { freePort } from '@ablate/scheduler/testing';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ChaosPostgres } from './chaos-postgres.js';
import { childEnv, LoggedProcess } from './logged-process.js';

const schedulerMain = fileURLToPath(new URL('../../../scheduler/dist/main.js', import.meta.url));
const workerMain = fileURLToPath(new URL('../../../worker/dist/main.js', import.meta.url));

export interface ClusterOptions {
  /** Temp folder for PostgreSQL's data, the shared artifacts and every log. */
  dir: string;
  /** Lease TTL the scheduler runs with; short, so a killed worker's trial is requeued in seconds. */
  leaseTtlMs: number;
}

/** A worker process and the id it registered under (read from its log). */
export interface ChaosWorker {
  name: string;
  process: LoggedProcess;
}

/**
 * PostgreSQL (embedded, in the test process, restarted through the product's own start path),
 * the scheduler and the workers as separate processes, each of which can be killed with -9.
 */
export class ChaosCluster {
  readonly t0 = Date.now();
  readonly token = randomBytes(24).toString('hex');
  readonly workers: ChaosWorker[] = [];
  scheduler: LoggedProcess | null = null;
  readonly postgres: ChaosPostgres;

  private constructor(
    readonly options: ClusterOptions,
    readonly apiPort: number,
    pgPort: number,
  ) {
    this.postgres = new ChaosPostgres(
      path.join(options.dir, 'pg'),
      pgPort,
      path.join(options.dir, 'postgres.log'),
    );
  }

  static async create(options: ClusterOptions): Promise<ChaosCluster> {
    const [api, pg] = await Promise.all([freePort(), freePort()]);
    return new ChaosCluster(options, api, pg);
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }
  get schedulerLog(): string {
    return path.join(this.options.dir, 'scheduler.log');
  }
  elapsed(): number {
    return Date.now() - this.t0;
  }

  async startScheduler(): Promise<void> {
    this.scheduler = new LoggedProcess(
      'scheduler',
      schedulerMain,
      childEnv({
        DATABASE_URL: this.postgres.url,
        ABLATE_API_PORT: String(this.apiPort),
        ABLATE_API_HOST: '127.0.0.1',
        ABLATE_WORKER_TOKEN: this.token,
        ABLATE_LEASE_TTL_MS: String(this.options.leaseTtlMs),
        // The checkpoints workers upload: kept with the run's other files, not in the working directory.
        ABLATE_ARTIFACTS_DIR: path.join(this.options.dir, 'scheduler-artifacts'),
      }),
      this.schedulerLog,
      this.elapsed(),
    );
    await this.waitHealthy(60_000);
  }

  /** Waits until `GET /api/health` answers 200 (the scheduler is up and reaches PostgreSQL). */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.scheduler && !this.scheduler.running)
        throw new Error(`the scheduler exited (${await this.scheduler.exited}); see ${this.schedulerLog}`);
      const ok = await fetch(`${this.apiUrl}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > until)
        throw new Error(`the scheduler was not healthy within ${timeoutMs} ms; see ${this.schedulerLog}`);
      await sleep(100);
    }
  }

  startWorker(): ChaosWorker {
    const name = `worker-${this.workers.length + 1}`;
    const env = childEnv({
      ABLATE_API_URL: this.apiUrl,
      ABLATE_WORKER_TOKEN: this.token,
      ABLATE_ARTIFACTS_DIR: path.join(this.options.dir, 'artifacts'),
      ABLATE_POLL_INTERVAL_MS: '200',
      // One trial per worker, as the plan was written for: a worker now defaults to one slot per
      // core, and three such workers would train six trials at once on a 2-core machine.
      ABLATE_CPU_SLOTS: '1',
    });
    const worker = {
      name,
      process: new LoggedProcess(
        name,
        workerMain,
        env,
        path.join(this.options.dir, `${name}.log`),
        this.elapsed(),
      ),
    };
    this.workers.push(worker);
    return worker;
  }

  /** Every log file, PostgreSQL's first. */
  logFiles(): string[] {
    return [this.postgres.logFile, this.schedulerLog, ...this.workers.map((w) => w.process.logFile)];
  }

  /** Stops everything still running: workers, then the scheduler, then PostgreSQL. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.process.kill9()));
    await this.scheduler?.stop();
    await this.postgres.stop();
  }
}

/** The worker id a worker registered under, from its log line `worker <id> registered`. */
export function registeredWorkerId(worker: ChaosWorker): string | null {
  return /worker (\S+) registered/.exec(worker.process.log())?.[1] ?? null;
}
