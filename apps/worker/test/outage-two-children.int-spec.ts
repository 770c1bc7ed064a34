import { ApiClient } from '@ablate/contracts';
import type { StartedScheduler } from '@ablate/scheduler';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '../src/worker.js';
import { startAgain, stopAbruptly } from './scheduler-restart.js';

const EPOCHS = 8;
/** How long the scheduler stays down. */
const OUTAGE_MS = 10_000;

/**
 * Two children train on one agent (two CPU slots) when the scheduler goes away for 10 s and comes
 * back on the same port and database: both trials complete on attempt 1, every epoch of each is
 * stored exactly once, and nothing is left leased or running.
 */
describe('the scheduler stopped for 10 s while two children train', () => {
  let first: TestScheduler;
  let second: StartedScheduler | null = null;
  let artifacts: string;
  let worker: Worker | null = null;
  const logs: string[] = [];
  beforeAll(async () => {
    first = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-outage-two-'));
  });
  afterAll(async () => {
    await worker?.stop();
    await second?.app.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('loses nothing and leaves nothing stuck: both complete on attempt 1, each epoch stored once', async () => {
    const sweep = await first.user.createSweep({
      name: 'outage, two children',
      template: 'mnist-cnn',
      parameters: {
        epochs: { value: EPOCHS },
        trainSize: { value: 512 },
        validationSize: { value: 128 },
        seed: { values: [1, 2] },
      },
      metric: { name: 'val_acc', goal: 'maximize' },
      maxRetries: 0, // an outage that cost an attempt would fail the trial outright
    });
    worker = new Worker(
      {
        apiUrl: first.url,
        token: TEST_WORKER_TOKEN,
        artifactsDir: artifacts,
        pollIntervalMs: 100,
        host: 'node-outage-two',
        backend: 'cpu',
        cpuSlots: 2,
        gpuProbe: { list: () => Promise.resolve([]) },
        backoff: { initialMs: 200, maxMs: 1000 },
      },
      { log: (l) => logs.push(l) },
    );
    await worker.start();
    const ids = (await first.user.getSweep(sweep.id)).trials.map((t) => t.id);
    // Both children have reported an epoch: both are training.
    await expect
      .poll(
        async () =>
          (await Promise.all(ids.map((id) => first.user.getTrialMetrics(id)))).every((m) =>
            m.points.some((p) => p.step === 1),
          ),
        { timeout: 90_000, interval: 100 },
      )
      .toBe(true);
    expect(worker.trials.size).toBe(2);

    await stopAbruptly(first.app);
    const epochLines = () => logs.filter((l) => / epoch \d+\/\d+ /.test(l)).length;
    const atOutage = epochLines();
    await sleep(OUTAGE_MS);
    const duringOutage = epochLines() - atOutage;
    second = await startAgain(first.config, first.url);
    const back = new ApiClient({ baseUrl: second.url });

    await expect
      .poll(async () => (await back.getSweep(sweep.id)).sweep.status, { timeout: 120_000, interval: 200 })
      .toMatch(/completed|failed/);
    const done = await back.getSweep(sweep.id);
    const text = logs.join('\n');
    expect(done.sweep.status, text).toBe('completed');
    for (const t of done.trials)
      expect(t, text).toMatchObject({ status: 'completed', attempt: 1, step: EPOCHS });
    const steps = Array.from({ length: EPOCHS }, (_, i) => i + 1);
    for (const id of ids) {
      const { points } = await back.getTrialMetrics(id);
      const keys = points.map((p) => `${p.step}:${p.name}`);
      expect(new Set(keys).size, `trial ${id}: a (step, metric) stored twice`).toBe(keys.length);
      for (const name of ['loss', 'acc', 'val_loss', 'val_acc'])
        expect(points.filter((p) => p.name === name).map((p) => p.step)).toEqual(steps);
    }
    // Nothing stuck: no lease held, no child left, the agent free for more.
    await expect.poll(() => worker!.trials.size, { timeout: 10_000 }).toBe(0);
    const [node] = (await back.listWorkers()).workers;
    expect(node).toMatchObject({ leases: 0, state: 'live' });
    expect(
      logs.filter((l) => l.includes('scheduler unreachable')),
      text,
    ).toHaveLength(1);
    expect(
      logs.filter((l) => /: (failed|released|stopped|abandoned)/.test(l)),
      text,
    ).toEqual([]);
    console.log(
      `outage of ${OUTAGE_MS} ms with 2 children: ${duringOutage} epochs trained while the scheduler was down`,
    );
  });
});
