import { ApiClient } from '@ablate/contracts';
import type { StartedScheduler } from '@ablate/scheduler';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Worker } from '../src/worker.js';
import { startAgain, stopAbruptly } from './scheduler-restart.js';

const EPOCHS = 8;

describe('reports a worker still held when it went away', () => {
  let first: TestScheduler;
  let second: StartedScheduler | null = null;
  let artifacts: string;
  beforeAll(async () => {
    // A 2 s lease: the dead worker's trial is requeued soon after the scheduler is back.
    first = await startTestScheduler(inject('pgAdminUrl'), { leaseTtlMs: 2000 });
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-lost-reports-'));
  });
  afterAll(async () => {
    await second?.app.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('reach the scheduler from the checkpoint of the worker that resumes the trial: the curve has no gap', async () => {
    const sweep = await first.user.createSweep({
      name: 'lost reports',
      template: 'mnist-cnn',
      parameters: { epochs: { value: EPOCHS }, trainSize: { value: 1024 }, validationSize: { value: 128 } },
      metric: { name: 'val_loss', goal: 'minimize' },
    });
    const trialId = (await first.user.getSweep(sweep.id)).trials[0]!.id;
    const config = { token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100, backoff: { initialMs: 100, maxMs: 500 } };
    const logsA: string[] = [];
    const a = new Worker({ ...config, apiUrl: first.url, host: 'node-a', stopGraceMs: 0 }, { log: (l) => logsA.push(l) });
    await a.start();
    await vi.waitFor(async () => expect((await first.user.getTrialMetrics(trialId)).points.some((p) => p.step === 1)).toBe(true), { timeout: 60_000, interval: 50 });

    // The scheduler goes away; A trains on with its reports queued, then A goes away too, reports and all.
    await stopAbruptly(first.app);
    const epochsOfA = () => logsA.filter((l) => / epoch \d+\/\d+ /.test(l)).length;
    await vi.waitFor(() => expect(logsA.some((l) => l.includes('scheduler unreachable'))).toBe(true), { timeout: 30_000, interval: 20 });
    const noticed = epochsOfA();
    await vi.waitFor(() => expect(epochsOfA()).toBeGreaterThan(noticed), { timeout: 60_000, interval: 20 });
    await a.stop();
    const trainedByA = epochsOfA();

    second = await startAgain(first.config, first.url);
    const user = new ApiClient({ baseUrl: second.url });
    const stored = (await user.getTrialMetrics(trialId)).points.filter((p) => p.name === 'val_loss').map((p) => p.step);
    expect(Math.max(...stored), logsA.join('\n')).toBeLessThan(trainedByA); // the scheduler really missed some epochs

    const logsB: string[] = [];
    const b = new Worker({ ...config, apiUrl: second.url, host: 'node-b' }, { log: (l) => logsB.push(l) });
    await b.start();
    await vi.waitFor(async () => expect((await user.getSweep(sweep.id)).sweep.status).toBe('completed'), { timeout: 60_000, interval: 100 });
    await b.stop();

    expect(logsB.join('\n')).toContain(`resumed from checkpoint at epoch ${trainedByA}`);
    const { points } = await user.getTrialMetrics(trialId);
    const keys = points.map((p) => `${p.step}:${p.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const steps = Array.from({ length: EPOCHS }, (_, i) => i + 1);
    for (const name of ['loss', 'acc', 'val_loss', 'val_acc']) expect(points.filter((p) => p.name === name).map((p) => p.step), name).toEqual(steps);
    // B trained only what A had not: the epochs A checkpointed came from its checkpoint.
    const trainedByB = logsB.filter((l) => / epoch \d+\/\d+ /.test(l)).map((l) => Number(/ epoch (\d+)\//.exec(l)![1]));
    expect(trainedByB[0]).toBe(trainedByA + 1);
  });
});
