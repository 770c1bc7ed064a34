import { ApiClient } from '@ablate/contracts';
import type { StartedScheduler } from '@ablate/scheduler';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Worker } from '../src/worker.js';
import { startAgain, stopAbruptly } from './scheduler-restart.js';

const EPOCHS = 7;

describe('a scheduler outage in the middle of a trial', () => {
  let first: TestScheduler;
  let second: StartedScheduler | null = null;
  let artifacts: string;
  beforeAll(async () => {
    first = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-outage-'));
  });
  afterAll(async () => {
    await second?.app.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('costs the trial nothing: it completes once, on attempt 1, with one point per step and metric and no gap', async () => {
    const user = first.user;
    const sweep = await user.createSweep({
      name: 'outage',
      template: 'mnist-cnn',
      parameters: { epochs: { value: EPOCHS }, trainSize: { value: 2048 }, validationSize: { value: 128 } },
      metric: { name: 'val_acc', goal: 'maximize' },
      maxRetries: 0, // an outage that cost an attempt would fail the trial outright
    });
    const trialId = (await user.getSweep(sweep.id)).trials[0]!.id;
    const logs: string[] = [];
    const worker = new Worker(
      { apiUrl: first.url, token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100, host: 'node-outage', backoff: { initialMs: 200, maxMs: 1000 } },
      { log: (l) => logs.push(l) },
    );
    await worker.start();
    await vi.waitFor(async () => expect((await user.getTrialMetrics(trialId)).points.some((p) => p.step === 1)).toBe(true), { timeout: 60_000, interval: 100 });

    // The scheduler goes away (as if killed and restarted); the worker keeps training meanwhile.
    await stopAbruptly(first.app);
    const epochLines = () => logs.filter((l) => / epoch \d+\/\d+ /.test(l)).length;
    await vi.waitFor(() => expect(logs.some((l) => l.includes('scheduler unreachable'))).toBe(true), { timeout: 30_000, interval: 50 });
    const atOutage = epochLines();
    // Down until training has finished: the last epochs and the completion wait in the queue, in order.
    await vi.waitFor(() => expect(epochLines()).toBe(EPOCHS), { timeout: 60_000, interval: 100 });

    second = await startAgain(first.config, first.url);
    const back = new ApiClient({ baseUrl: second.url });
    await vi.waitFor(async () => expect((await back.getSweep(sweep.id)).sweep.status).toBe('completed'), { timeout: 60_000, interval: 200 });
    await worker.stop();
    console.log(`outage: ${logs.find((l) => l.includes('reachable again')) ?? '(never back)'}; epochs trained after it was noticed: ${EPOCHS - atOutage}`);

    const trial = (await back.getSweep(sweep.id)).trials[0]!;
    expect(trial, logs.join('\n')).toMatchObject({ status: 'completed', attempt: 1, step: EPOCHS });
    const { points } = await back.getTrialMetrics(trialId);
    const keys = points.map((p) => `${p.step}:${p.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const steps = Array.from({ length: EPOCHS }, (_, i) => i + 1);
    for (const name of ['loss', 'acc', 'val_loss', 'val_acc']) expect(points.filter((p) => p.name === name).map((p) => p.step)).toEqual(steps);
    // Trained during the outage: its reports were queued, not lost.
    expect(atOutage).toBeLessThan(EPOCHS);
    // One line when the scheduler went, one when it came back — not one per retry or heartbeat.
    expect(logs.filter((l) => l.includes('scheduler unreachable')), logs.join('\n')).toHaveLength(1);
    expect(logs.filter((l) => l.includes('scheduler reachable again'))).toHaveLength(1);
    expect(logs.filter((l) => /: (failed|released|stopped)/.test(l))).toEqual([]);
  });
});
