import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '../src/worker.js';

/** CIFAR-10 of the course: `../shared/datasets` beside the repository (as packages/models' tests find it), or ABLATE_SHARED_DATASETS. */
const SHARED_DATASETS =
  process.env['ABLATE_SHARED_DATASETS'] ??
  fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));

/** A lease runs out this soon unless renewed; the forest's one fit call blocks for longer. */
const LEASE_TTL_MS = 3000;

/**
 * The random forest trains in one synchronous call. When trials ran in the agent's own process that
 * call also blocked its heartbeats, and a fit longer than the lease TTL lost the lease (the trial
 * was requeued and trained again). Now the fit blocks only the trial's child: the agent heartbeats.
 */
describe('a long blocking fit (random forest) with a lease TTL shorter than the fit', () => {
  let s: TestScheduler;
  let artifacts: string;
  let worker: Worker;
  const logs: { at: number; line: string }[] = [];

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { leaseTtlMs: LEASE_TTL_MS });
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-rf-lease-'));
    worker = new Worker(
      {
        apiUrl: s.url,
        token: TEST_WORKER_TOKEN,
        artifactsDir: artifacts,
        pollIntervalMs: 100,
        host: 'rf-node',
        backend: 'cpu',
        cpuSlots: 1,
        gpuProbe: { list: () => Promise.resolve([]) },
        push: false,
        env: { ...process.env, ABLATE_DATA_DIR: SHARED_DATASETS },
      },
      { log: (line) => logs.push({ at: Date.now(), line }) },
    );
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await s?.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('keeps its lease: the trial completes on attempt 1, the agent heartbeating while the child blocks', async () => {
    const sweep = await s.user.createSweep({
      name: 'slow forest',
      template: 'random-forest',
      parameters: { trainSize: { value: 4000 }, testSize: { value: 200 }, trees: { value: 80 } },
      metric: { name: 'test_acc', goal: 'maximize' },
      maxRetries: 2,
    });
    await expect
      .poll(async () => (await s.user.getSweep(sweep.id)).sweep.status, { timeout: 150_000, interval: 250 })
      .toMatch(/completed|failed/);
    const text = logs.map((l) => l.line).join('\n');
    const done = await s.user.getSweep(sweep.id);
    expect(done.trials[0], text).toMatchObject({ status: 'completed', attempt: 1, step: 1 });
    expect(done.trials[0]!.metrics['test_acc']).toBeGreaterThan(0.1);
    // The precondition that makes this test mean something: the fit really outlasted the lease.
    const fitStart = logs.find((l) => l.line.includes('random forest: 80 trees'))?.at;
    const fitEnd = logs.find(
      (l) => / epoch 1\b| completed/.test(l.line) && (fitStart === undefined || l.at >= fitStart),
    )?.at;
    expect(fitStart, text).toBeDefined();
    expect(fitEnd! - fitStart!, text).toBeGreaterThan(LEASE_TTL_MS);
    console.log(
      `random forest: the fit blocked its child ${fitEnd! - fitStart!} ms (lease TTL ${LEASE_TTL_MS} ms); completed on attempt 1`,
    );
    expect(text).not.toMatch(/lease (lost|expired)|released|: failed/);
  });
});
