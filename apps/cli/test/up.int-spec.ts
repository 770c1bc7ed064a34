import { ApiClient } from '@ablate/contracts';
import { freePort } from '@ablate/scheduler/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runUp(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [main, 'up'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function waitFor(run: Run, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`ablate up exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Pids of every process whose environment names `home` as ABLATE_HOME: what `up` started (children, PostgreSQL, the guard). */
async function processesOf(home: string): Promise<number[]> {
  const marker = `ABLATE_HOME=${home}\0`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    const state = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ') Z ');
    if (environ.includes(marker) && !/\) Z /.test(state)) pids.push(Number(entry));
  }
  return pids;
}

async function expectPortsFree(env: Record<string, string>): Promise<void> {
  for (const port of [env.ABLATE_API_PORT, env.ABLATE_DASHBOARD_PORT, env.ABLATE_PG_PORT]) {
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  }
}

async function startAndStop(env: Record<string, string>): Promise<void> {
  const run = runUp(env);
  await waitFor(run, 'Ablate is running.');
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
}

describe('ablate up (what npm start runs)', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'ablate-up-'));
    await chmod(home, 0o755);
    const [api, dash, pg] = await Promise.all([freePort(), freePort(), freePort()]);
    env = { ABLATE_HOME: home, ABLATE_API_PORT: String(api), ABLATE_DASHBOARD_PORT: String(dash), ABLATE_PG_PORT: String(pg), ABLATE_LOCAL_WORKERS: '0' };
    delete process.env.DATABASE_URL;
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('starts everything, stops cleanly on Ctrl-C, and a second start finds the earlier sweeps', async () => {
    const first = runUp({ ...env, ABLATE_LEASE_TTL_MS: '20000' });
    await waitFor(first, 'Ablate is running. Open http://localhost:');
    expect(first.output()).toContain("a dead worker's trial is requeued within ~25 s");
    const api = new ApiClient({ baseUrl: `http://localhost:${env.ABLATE_API_PORT}` });
    const sweep = await api.createSweep({ name: 'kept across restarts', template: 'mnist-cnn', metric: { name: 'val_acc', goal: 'maximize' } });
    const page = await fetch(`http://localhost:${env.ABLATE_DASHBOARD_PORT}/`);
    expect(page.status).toBe(200);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Ablate stopped.');
    // Everything is down: the ports are free again (PostgreSQL's included), nothing it started is left.
    await expectPortsFree(env);
    expect(await processesOf(home)).toEqual([]);

    const second = runUp(env);
    await waitFor(second, 'Ablate is running.');
    const { sweeps } = await api.listSweeps();
    expect(sweeps.map((s) => s.id)).toContain(sweep.id);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('names the variable to change when a port is taken', async () => {
    const blocker = net.createServer().listen(Number(env.ABLATE_API_PORT), '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const run = runUp(env);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${env.ABLATE_API_PORT} is already in use. Set ABLATE_API_PORT to a free port`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a port that browsers block (the dashboard could not reach it), naming the variable, before starting anything', async () => {
    const run = runUp({ ...env, ABLATE_DASHBOARD_PORT: '6666' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Port 6666 is one that browsers refuse to connect to');
    expect(run.output()).toContain('Set ABLATE_DASHBOARD_PORT to another port');
    expect(run.output()).not.toContain('Starting embedded PostgreSQL');
  });

  it('refuses to listen beyond the loopback without ABLATE_ALLOW_REMOTE, before starting anything', async () => {
    const run = runUp({ ...env, ABLATE_API_HOST: '0.0.0.0' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('ABLATE_ALLOW_REMOTE=true');
    expect(run.output()).not.toContain('Starting embedded PostgreSQL');
  });

  it('stops everything in order when it crashes, and the next start works', async () => {
    const run = runUp({ ...env, ABLATE_TEST_CRASH: 'unhandled-rejection' });
    await waitFor(run, 'Ablate is running.');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Ablate crashed: Error: ABLATE_TEST_CRASH=unhandled-rejection');
    expect(run.output()).toContain('Ablate stopped.');
    await vi.waitFor(async () => expect(await processesOf(env.ABLATE_HOME!)).toEqual([]), { timeout: 30_000, interval: 200 });
    await expectPortsFree(env);
    await startAndStop(env);
  });

  it('takes every process it started down with it when killed with -9, and the next start works', async () => {
    const withWorker = { ...env, ABLATE_LOCAL_WORKERS: '1' };
    const run = runUp(withWorker);
    await waitFor(run, 'Ablate is running.');
    await vi.waitFor(() => expect(run.output()).toContain('[worker]'), { timeout: 30_000, interval: 200 });
    // up, the guard, the dashboard (next and its server), the worker and PostgreSQL's processes.
    expect((await processesOf(env.ABLATE_HOME!)).length).toBeGreaterThanOrEqual(5);
    run.child.kill('SIGKILL');
    await run.exited;
    await vi.waitFor(async () => expect(await processesOf(env.ABLATE_HOME!)).toEqual([]), { timeout: 30_000, interval: 200 });
    await expectPortsFree(env);
    await startAndStop(withWorker);
  });
});
