import {
  startTestPostgres,
  startTestScheduler,
  TEST_WORKER_TOKEN,
  type TestScheduler,
} from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ablate, startAblate } from './cli-run.js';

/** A fake `nvidia-smi` reporting two GPUs (the worker's test fixture). */
const FAKE_SMI_DIR = fileURLToPath(new URL('../../worker/test/fixtures/fake-nvidia-smi/', import.meta.url));
const withFakeGpus = { PATH: `${FAKE_SMI_DIR}${path.delimiter}${process.env['PATH'] ?? ''}` };

describe('ablate worker', () => {
  it('refuses bad values before it contacts anything, saying what to give instead', async () => {
    const none = await ablate(['worker'], { ABLATE_WORKER_TOKEN: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('ablate worker needs --api URL (or ABLATE_API_URL) and --token T');

    const words = await ablate([
      'worker',
      '--api',
      'http://127.0.0.1:9',
      '--token',
      TEST_WORKER_TOKEN,
      '--cpu-slots',
      'two',
    ]);
    expect(words.code).toBe(1);
    expect(words.stderr).toContain('ABLATE_CPU_SLOTS (--cpu-slots) must be a number, e.g. 2');

    const fromEnv = await ablate(['worker'], {
      ABLATE_API_URL: 'http://127.0.0.1:9',
      ABLATE_WORKER_TOKEN: TEST_WORKER_TOKEN,
      ABLATE_TRIALS_PER_GPU: 'lots',
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('ABLATE_TRIALS_PER_GPU (--trials-per-gpu) must be a number');
  });

  it('--gpus naming a GPU the node lacks stops the agent with the list it found (flag or ABLATE_GPUS)', async () => {
    const flag = await ablate(
      ['worker', '--api', 'http://127.0.0.1:9', '--token', TEST_WORKER_TOKEN, '--gpus', '0,3'],
      withFakeGpus,
    );
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain(
      '--gpus names GPU 3, which this node does not have; GPUs found: 0 (Fake Tesla T0, 16384 MiB), 1 (Fake Tesla T1, 16384 MiB).',
    );
    const env = await ablate(['worker', '--api', 'http://127.0.0.1:9', '--token', TEST_WORKER_TOKEN], {
      ...withFakeGpus,
      ABLATE_GPUS: '2',
    });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('--gpus names GPU 2, which this node does not have');
  });

  describe('against a scheduler', () => {
    let stopPg: () => Promise<void>;
    let s: TestScheduler;
    let dir: string;
    beforeAll(async () => {
      const server = await startTestPostgres();
      stopPg = server.stop;
      s = await startTestScheduler(server.adminUrl);
      dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-worker-cli-'));
    });
    afterAll(async () => {
      await s?.close();
      await stopPg?.();
      await rm(dir, { recursive: true, force: true });
    });

    it('registers the GPUs it found and the slots of its flags and environment, and exits 0 on SIGTERM', async () => {
      const worker = startAblate(['worker', '--api', s.url, '--trials-per-gpu', '2', '--artifacts', dir], {
        ...withFakeGpus,
        ABLATE_WORKER_TOKEN: TEST_WORKER_TOKEN,
        ABLATE_CPU_SLOTS: '1',
      });
      try {
        await expect.poll(() => worker.stdout(), { timeout: 60_000, interval: 100 }).toMatch(/registered/);
        expect(worker.stdout()).toContain('5 slots: GPU 0,1 × 2 trials, 1 CPU slot');
        const [registered] = (await s.user.listWorkers()).workers;
        expect(registered).toMatchObject({ slots: 5, trialsPerGpu: 2, cpuSlots: 1, state: 'live' });
        expect(registered!.gpus.map((g) => `${g.index} ${g.name}`)).toEqual([
          '0 Fake Tesla T0',
          '1 Fake Tesla T1',
        ]);
      } finally {
        worker.child.kill('SIGTERM');
      }
      const ended = await worker.done;
      expect(ended.code, ended.stderr).toBe(0);
      expect(ended.stdout).toContain('SIGTERM: stopping the worker');
    });
  });
});
