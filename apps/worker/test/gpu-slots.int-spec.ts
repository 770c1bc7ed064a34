import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '../src/worker.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/command/', import.meta.url));
const FAKE_SMI_DIR = fileURLToPath(new URL('./fixtures/fake-nvidia-smi/', import.meta.url));

/** What barrier.py wrote for one attempt of one trial. */
interface Started {
  trialId: string;
  attempt: number;
  cudaVisibleDevices: string | null;
  pid: number;
}

async function started(dir: string): Promise<Started[]> {
  const names = (await readdir(dir)).filter((n) => !n.endsWith('.tmp'));
  return Promise.all(
    names.map(async (n) => {
      const [trialId, attempt] = n.split('.');
      const seen = JSON.parse(await readFile(path.join(dir, n), 'utf8')) as {
        cuda_visible_devices: string | null;
        pid: number;
      };
      return {
        trialId: trialId!,
        attempt: Number(attempt),
        cudaVisibleDevices: seen.cuda_visible_devices,
        pid: seen.pid,
      };
    }),
  );
}

/**
 * A real agent on a node whose `nvidia-smi` (a fake one on PATH) lists two GPUs, with two trials
 * per GPU, against the real scheduler. The trials are Python programs that wait for each other
 * (fixtures/command/barrier.py), so a trial completes only if all of them ran at once.
 */
describe('GPU slots with a fake nvidia-smi: 2 GPUs × 2 trials', () => {
  let s: TestScheduler;
  let tmp: string;
  let worker: Worker;
  const logs: string[] = [];

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ablate-gpu-slots-'));
    worker = new Worker(
      {
        apiUrl: s.url,
        token: TEST_WORKER_TOKEN,
        artifactsDir: path.join(tmp, 'artifacts'),
        pollIntervalMs: 100,
        host: 'fake-gpu-node',
        backend: 'cpu',
        trialsPerGpu: 2,
        killGraceMs: 1000,
        // The agent's own probe (NvidiaSmiProbe) finds the fake nvidia-smi on this PATH.
        env: {
          ...process.env,
          PATH: `${FAKE_SMI_DIR}${path.delimiter}${process.env['PATH'] ?? ''}`,
          CUDA_VISIBLE_DEVICES: undefined,
        },
        commandPolicy: { allow: ['python3'], roots: [FIXTURES] },
      },
      { log: (l) => logs.push(l) },
    );
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await s?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function barrierSweep(name: string, trials: number, barrier: string, release?: string) {
    await mkdir(barrier, { recursive: true });
    return s.user.createSweep({
      name,
      template: 'command',
      parameters: {
        command: { value: 'python3 barrier.py' },
        barrier: { value: barrier },
        count: { value: trials },
        ...(release ? { release: { value: release } } : {}),
        k: { values: Array.from({ length: trials }, (_, i) => i + 1) },
      },
      resources: { gpus: 1 },
      metric: { name: 'visible_gpu', goal: 'maximize' },
    });
  }

  async function finished(sweepId: string) {
    await expect
      .poll(async () => (await s.user.getSweep(sweepId)).sweep.status, { timeout: 90_000, interval: 200 })
      .toMatch(/completed|failed/);
    return s.user.getSweep(sweepId);
  }

  it('registers both GPUs with 4 slots, runs 4 trials at once, each seeing its own GPU: 0, 0, 1, 1', async () => {
    expect(worker.slots).toBe(4);
    const [registered] = (await s.user.listWorkers()).workers;
    expect(registered).toMatchObject({ slots: 4, trialsPerGpu: 2, cpuSlots: 0 });
    expect(registered!.gpus.map((g) => g.index)).toEqual([0, 1]);

    const barrier = path.join(tmp, 'four');
    const sweep = await barrierSweep('four at once', 4, barrier);
    const done = await finished(sweep.id);
    expect(done.sweep.status, logs.join('\n')).toBe('completed');
    // Each reached step 2 only once all four had started: they overlapped.
    for (const t of done.trials)
      expect(t, logs.join('\n')).toMatchObject({ status: 'completed', attempt: 1, step: 2 });
    const seen = await started(barrier);
    expect(seen).toHaveLength(4);
    expect(seen.map((x) => x.cudaVisibleDevices).sort()).toEqual(['0', '0', '1', '1']);
    // What each child saw is also what it reported.
    const reported = done.trials.map((t) => t.metrics['visible_gpu']).sort();
    expect(reported).toEqual([0, 0, 1, 1]);
  });

  it("kill -9 of one trial's process: that trial is retried (attempt 2) and completes; the others run on and complete on attempt 1", async () => {
    const barrier = path.join(tmp, 'kill');
    const release = path.join(tmp, 'kill.release');
    const sweep = await barrierSweep('one killed', 3, barrier, release);
    await expect
      .poll(async () => (await started(barrier)).length, { timeout: 60_000, interval: 100 })
      .toBe(3);
    const [victim, ...others] = await started(barrier);
    process.kill(victim!.pid, 'SIGKILL');
    // The retry starts on the free slot while the other two still wait.
    await expect
      .poll(
        async () => (await started(barrier)).some((x) => x.trialId === victim!.trialId && x.attempt === 2),
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    for (const o of others) expect(() => process.kill(o.pid, 0)).not.toThrow();
    await writeFile(release, '');

    const done = await finished(sweep.id);
    expect(done.sweep.status, logs.join('\n')).toBe('completed');
    const byId = new Map(done.trials.map((t) => [t.id, t]));
    expect(byId.get(victim!.trialId), logs.join('\n')).toMatchObject({
      status: 'completed',
      attempt: 2,
      step: 2,
    });
    for (const o of others)
      expect(byId.get(o.trialId)).toMatchObject({ status: 'completed', attempt: 1, step: 2 });
    expect((await started(barrier)).filter((x) => x.attempt > 1).map((x) => x.trialId)).toEqual([
      victim!.trialId,
    ]);
    expect(
      logs.some((l) => l.includes(victim!.trialId) && /SIGKILL|crashed/.test(l)),
      logs.join('\n'),
    ).toBe(true);
  });
});
