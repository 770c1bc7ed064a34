import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { freePort } from '../../src/testing/test-database.js';
import { createStatementStats, preloadStatementStats } from './pg-statements.js';

/** The scheduler as production runs it: an embedded PostgreSQL and `dist/main.js` in a process of its own. */
export interface SchedulerProcess {
  /** Base URL of the REST API and socket.io. */
  url: string;
  /** The pool token simulated workers register with. */
  token: string;
  /** PostgreSQL as the scheduler's role sees it. */
  databaseUrl: string;
  /** The same database as the superuser (for pg_stat_statements). */
  adminUrl: string;
  schedulerPid: number;
  postmasterPid: number;
  /** The scheduler's last lines of output (errors are worth printing after a run). */
  log: string[];
  stop(): Promise<void>;
}

const schedulerMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/main.js');

/**
 * Starts PostgreSQL in a temp folder and the built scheduler against it, and waits for
 * `/api/health`. With `profileDir`, the scheduler writes a CPU profile there when it stops (open
 * the .cpuprofile in Chrome DevTools); SIGUSR2 makes it exit normally, since a process ended by a
 * signal writes none (its SIGTERM handler re-raises the signal). `main` runs another build instead
 * of dist/main.js (a copy inside apps/scheduler, so that its modules resolve).
 */
export async function startSchedulerProcess(
  opts: { profileDir?: string; pgStatements?: boolean; main?: string } = {},
): Promise<SchedulerProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-bench-scheduler-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the user `postgres`, which must enter it
  const dataDir = path.join(dir, 'pg');
  const pgOptions = { dataDir, port: await freePort(), database: 'ablate' };
  let postgres = await startEmbeddedPostgres(pgOptions);
  if (opts.pgStatements) {
    // The extension must be loaded at server start: set it, restart, then create it.
    await preloadStatementStats(postgres.adminUrlFor('ablate'));
    await postgres.stop();
    postgres = await startEmbeddedPostgres(pgOptions);
    await createStatementStats(postgres.adminUrlFor('ablate'));
  }
  const postmasterPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const token = randomBytes(24).toString('base64url');
  const apiPort = await freePort();
  const profiling = opts.profileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${path.resolve(opts.profileDir)}`,
        '--import',
        'data:text/javascript,process.on("SIGUSR2",()=>process.exit(0))',
      ]
    : [];
  const child = spawn(process.execPath, [...profiling, opts.main ? path.resolve(opts.main) : schedulerMain], {
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      ABLATE_API_PORT: String(apiPort),
      ABLATE_API_HOST: '127.0.0.1',
      ABLATE_WORKER_TOKEN: token,
      ABLATE_LEASE_TTL_MS: '60000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (d: Buffer) => {
      log.push(...d.toString().trimEnd().split('\n'));
      if (log.length > 2000) log.splice(0, log.length - 1000);
    });
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill(opts.profileDir ? 'SIGUSR2' : 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${apiPort}`;
  try {
    await waitForHealth(url, child, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    token,
    databaseUrl: postgres.url,
    adminUrl: postgres.adminUrlFor('ablate'),
    schedulerPid: child.pid!,
    postmasterPid,
    log,
    stop,
  };
}

async function waitForHealth(url: string, child: ChildProcess, log: string[]): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(
        `The scheduler exited at start (did \`npm run build -w @ablate/scheduler\` run?):\n${log.slice(-30).join('\n')}`,
      );
    const up = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (i > 300)
      throw new Error(`The scheduler did not answer /api/health within 60 s:\n${log.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
