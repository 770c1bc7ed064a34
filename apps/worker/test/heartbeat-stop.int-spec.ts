import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Worker } from '../src/worker.js';

describe('the heartbeat answer (the fallback when nothing is pushed)', () => {
  let s: TestScheduler;
  let artifacts: string;
  beforeAll(async () => {
    // A 2 s lease means a heartbeat every 500 ms.
    s = await startTestScheduler(inject('pgAdminUrl'), { leaseTtlMs: 2000 });
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-heartbeat-'));
  });
  afterAll(async () => {
    await s.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('stops a trial cancelled while its first epoch runs, without waiting for the epoch to end', async () => {
    // One long epoch (8,000 digits in batches of 8: seconds on any backend) against a 500 ms heartbeat.
    const sweep = await s.user.createSweep({
      name: 'cancel mid-epoch',
      template: 'mnist-cnn',
      parameters: { epochs: { value: 2 }, trainSize: { value: 8000 }, validationSize: { value: 100 }, batchSize: { value: 8 } },
      metric: { name: 'val_acc', goal: 'maximize' },
    });
    const logs: string[] = [];
    // No push channel: the cancel must come with the heartbeat answer (test/pushed-stop covers the push).
    const worker = new Worker({ apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100, host: 'node-hb', push: false }, { log: (l) => logs.push(l) });
    await worker.start();
    const trialId = (await s.user.getSweep(sweep.id)).trials[0]!.id;
    await vi.waitFor(() => expect(logs.some((l) => l.includes(`trial ${trialId}`) && l.includes('started'))).toBe(true), { timeout: 30_000, interval: 20 });

    await s.user.cancelSweep(sweep.id);
    await vi.waitFor(() => expect(logs.some((l) => l.includes(`trial ${trialId}`) && l.includes('stopped ('))).toBe(true), { timeout: 60_000, interval: 50 });
    await worker.stop();

    expect(logs.find((l) => l.includes('stopped (')), logs.join('\n')).toContain('heartbeat answer');
    // Aborted inside epoch 1: it never finished (the loop logs "epoch 1/2" at its end), nothing was reported.
    expect(logs.filter((l) => / epoch \d+\/2 /.test(l))).toEqual([]);
    expect((await s.user.getTrialMetrics(trialId)).points).toEqual([]);
    expect((await s.user.getSweep(sweep.id)).trials[0]!.status).toBe('cancelled');
    expect(logs.filter((l) => /: (failed|released)/.test(l))).toEqual([]);
  });
});
