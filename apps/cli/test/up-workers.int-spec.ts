import { ApiClient, type WorkerSummary } from '@ablate/contracts';
import { freePort } from '@ablate/scheduler/testing';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAblate } from './cli-run.js';

/**
 * `ablate up`'s local workers are the agent `ablate worker` runs (the same runWorker(loadWorkerConfig())):
 * one worker takes a CPU slot per core and runs command trials on your own machine; several share
 * the cores out (ABLATE_LOCAL_WORKERS).
 */
describe('ablate up: its local workers', () => {
  const homes: string[] = [];
  afterAll(async () => {
    for (const home of homes) await rm(home, { recursive: true, force: true });
  });

  /** The workers of a fresh `ablate up` (its own data folder) once all have registered. */
  async function workersOfUp(localWorkers: string): Promise<WorkerSummary[]> {
    const home = await mkdtemp(path.join(os.tmpdir(), 'ablate-up-workers-'));
    homes.push(home);
    await chmod(home, 0o755); // as root, PostgreSQL runs as the user `postgres`, which must enter it
    const [api, dash, pg] = await Promise.all([freePort(), freePort(), freePort()]);
    const up = startAblate(['up'], {
      ABLATE_HOME: home,
      ABLATE_API_PORT: String(api),
      ABLATE_DASHBOARD_PORT: String(dash),
      ABLATE_PG_PORT: String(pg),
      ABLATE_LOCAL_WORKERS: localWorkers,
    });
    try {
      const client = new ApiClient({ baseUrl: `http://127.0.0.1:${api}` });
      const expected = Number(localWorkers);
      await expect
        .poll(async () => (await client.listWorkers().catch(() => ({ workers: [] }))).workers.length, {
          timeout: 120_000,
          interval: 250,
        })
        .toBe(expected);
      return (await client.listWorkers()).workers;
    } finally {
      up.child.kill('SIGINT');
      const ended = await up.done;
      expect(ended.code, ended.stdout + ended.stderr).toBe(0);
    }
  }

  it('one worker: a CPU slot per core, command trials allowed; two workers: the cores shared out', async () => {
    const cores = os.availableParallelism();
    const [one] = await workersOfUp('1');
    expect(one).toMatchObject({ slots: cores, cpuSlots: cores, gpus: [], commands: true, state: 'live' });

    const two = await workersOfUp('2');
    const each = Math.max(1, Math.floor(cores / 2));
    for (const w of two) expect(w).toMatchObject({ slots: each, cpuSlots: each, commands: true });
  });
});
