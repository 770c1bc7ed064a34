import { assertBrowsersReach, assertPortFree, isLoopbackHost, startEmbeddedPostgres, startScheduler, type RunningPostgres, type StartedScheduler } from '@ablate/scheduler';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { spawnManaged, waitForUrl, type ManagedChild } from './child-process.js';
import { workerToken, type UpConfig } from './local-config.js';
import type { StackGuard } from './stack-guard.js';

const require = createRequire(import.meta.url);

function dashboardDir(): string {
  return path.dirname(require.resolve('@ablate/dashboard/package.json'));
}

function workerMain(): string {
  return path.join(path.dirname(require.resolve('@ablate/worker')), 'main.js');
}

/**
 * What `ablate up` runs: PostgreSQL (embedded unless DATABASE_URL), the scheduler in this process,
 * the dashboard and the local workers as children, each child and PostgreSQL registered with the
 * guard so they end with this process even when it is killed with -9.
 */
export class LocalStack {
  private pg: RunningPostgres | null = null;
  private scheduler: StartedScheduler | null = null;
  private children: ManagedChild[] = [];
  private stopping = false;
  apiUrl = '';

  /** `onUnexpectedExit` is told when PostgreSQL or a child ends on its own, so `up` can stop the rest. */
  constructor(
    private readonly config: UpConfig,
    private readonly guard: StackGuard,
    private readonly onUnexpectedExit: (what: string) => void,
  ) {}

  async start(): Promise<string> {
    const c = this.config;
    await assertPortFree(c.ABLATE_API_PORT, 'ABLATE_API_PORT');
    await assertPortFree(c.ABLATE_DASHBOARD_PORT, 'ABLATE_DASHBOARD_PORT');
    await assertBrowsersReach(c.ABLATE_API_PORT, 'ABLATE_API_PORT');
    await assertBrowsersReach(c.ABLATE_DASHBOARD_PORT, 'ABLATE_DASHBOARD_PORT');
    const dashDir = dashboardDir();
    if (!existsSync(path.join(dashDir, process.env.NEXT_DIST_DIR ?? '.next', 'BUILD_ID'))) {
      throw new Error('the dashboard has no production build: run `npm run build` first (`npm start` does it for you).');
    }
    const databaseUrl = c.DATABASE_URL ?? (await this.startPostgres());
    const token = await workerToken(c);
    const dashboardUrl = `http://localhost:${c.ABLATE_DASHBOARD_PORT}`;
    console.log('Starting the scheduler (migrations first)...');
    this.scheduler = await startScheduler(
      {
        config: {
          databaseUrl,
          port: c.ABLATE_API_PORT,
          host: c.ABLATE_API_HOST,
          allowRemote: c.allowRemote,
          workerToken: token,
          leaseTtlMs: c.ABLATE_LEASE_TTL_MS,
          // Checkpoints the workers upload (the scheduler store): ABLATE_HOME/artifacts/<trial>/.
          artifactsDir: path.join(c.home, 'artifacts'),
          corsOrigins: [dashboardUrl, `http://127.0.0.1:${c.ABLATE_DASHBOARD_PORT}`],
        },
      },
      ['error', 'warn'],
    );
    this.apiUrl = isLoopbackHost(c.ABLATE_API_HOST) ? `http://localhost:${c.ABLATE_API_PORT}` : this.scheduler.url;

    console.log('Starting the dashboard...');
    const next = path.join(path.dirname(require.resolve('next/package.json', { paths: [dashDir] })), 'dist', 'bin', 'next');
    const dashboard = this.spawn('dashboard', [next, 'start', '-p', String(c.ABLATE_DASHBOARD_PORT), '-H', '127.0.0.1'], {
      cwd: dashDir,
      env: { ...process.env, ABLATE_API_URL: this.apiUrl, ABLATE_PUBLIC_API_URL: this.apiUrl, NODE_ENV: 'production' },
    });
    for (let i = 0; i < c.ABLATE_LOCAL_WORKERS; i++) {
      this.spawn(c.ABLATE_LOCAL_WORKERS > 1 ? `worker-${i + 1}` : 'worker', [workerMain()], {
        env: {
          ...process.env,
          ABLATE_API_URL: this.apiUrl,
          ABLATE_WORKER_TOKEN: token,
          ABLATE_ARTIFACTS_DIR: path.join(c.home, 'artifacts'),
          // Your own machine runs your command trials (docs/command-trials.md), from this folder or your
          // home; not when the API is open beyond the loopback, where anyone who reaches it could.
          ABLATE_ALLOW_COMMANDS: process.env['ABLATE_ALLOW_COMMANDS'] ?? (c.allowRemote ? 'false' : 'true'),
          ABLATE_COMMAND_ROOTS: process.env['ABLATE_COMMAND_ROOTS'] ?? [process.cwd(), os.homedir()].join(path.delimiter),
          // One worker takes a CPU slot per core by itself; several share the cores out instead of
          // each running one trial per core (an explicit ABLATE_CPU_SLOTS is each one's).
          ...(c.ABLATE_LOCAL_WORKERS > 1 && !process.env['ABLATE_CPU_SLOTS']
            ? { ABLATE_CPU_SLOTS: String(Math.max(1, Math.floor(os.availableParallelism() / c.ABLATE_LOCAL_WORKERS))) }
            : {}),
        },
      });
    }
    await waitForUrl(dashboardUrl, 60_000, () => dashboard.child.exitCode === null);
    return dashboardUrl;
  }

  private spawn(name: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): ManagedChild {
    const child = spawnManaged(name, process.execPath, args, options);
    this.guard.watchGroup(name, child.child.pid);
    this.children.push(child);
    void child.exited.then((code) => {
      if (!this.stopping) this.onUnexpectedExit(`the ${name} process exited (code ${code})`);
    });
    return child;
  }

  private async startPostgres(): Promise<string> {
    const dataDir = path.join(this.config.home, 'pg');
    console.log(`Starting embedded PostgreSQL (data in ${dataDir})...`);
    this.pg = await startEmbeddedPostgres({ dataDir, port: this.config.ABLATE_PG_PORT, portVariable: 'ABLATE_PG_PORT', onLog: logPostgres });
    this.guard.watchPostmaster(this.pg.pid);
    void this.pg.exited.then((code) => {
      if (!this.stopping) this.onUnexpectedExit(`PostgreSQL exited (${code})`);
    });
    return this.pg.url;
  }

  /** Workers first (they hand their trials back), then the dashboard, the scheduler, PostgreSQL. */
  async stop(): Promise<void> {
    this.stopping = true;
    const workers = this.children.filter((c) => c.name.startsWith('worker'));
    await Promise.all(workers.map((w) => w.stop(15_000)));
    await Promise.all(this.children.filter((c) => !workers.includes(c)).map((c) => c.stop()));
    for (const c of this.children) this.guard.forget(c.child.pid);
    await this.scheduler?.app.close();
    await this.pg?.stop();
    if (this.pg) this.guard.forget(this.pg.pid);
  }
}

/** PostgreSQL's own log is noisy (and its ERROR lines are answered by the scheduler); FATAL and PANIC lines are worth one in ours. */
function logPostgres(line: string): void {
  if (/\b(FATAL|PANIC):/.test(line)) console.log(`[postgres] ${line}`);
}
