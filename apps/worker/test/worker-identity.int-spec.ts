import { ApiClient, ApiError, type SweepSpecInput } from '@ablate/contracts';
import { WorkerPushPublisher, type StartedScheduler } from '@ablate/scheduler';
import { createTestDatabase, startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Worker } from '../src/worker.js';
import { startAgain, stopAbruptly } from './scheduler-restart.js';

const tinySweep: SweepSpecInput = {
  name: 'identity',
  template: 'mnist-cnn',
  parameters: { epochs: { value: 1 }, trainSize: { value: 128 }, validationSize: { value: 32 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

async function refusal(call: Promise<unknown>): Promise<string> {
  const err = await call.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).code;
}

async function completed(api: ApiClient, sweepId: string): Promise<void> {
  await vi.waitFor(async () => expect((await api.getSweep(sweepId)).sweep.status).toBe('completed'), { timeout: 60_000, interval: 100 });
}

describe('worker identity', () => {
  let s: TestScheduler;
  let restarted: StartedScheduler | null = null;
  let worker: Worker;
  let artifacts: string;
  const logs: string[] = [];
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-identity-'));
    worker = new Worker({ apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100, host: 'node-a', backoff: { initialMs: 100, maxMs: 500 } }, { log: (l) => logs.push(l) });
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
    await (restarted ?? s).app.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('is sent on every call: the worker trains a sweep, while the same calls without it, or as another worker, are refused', async () => {
    const sweep = await s.user.createSweep(tinySweep);
    await completed(s.user, sweep.id);
    const a = worker.workerId!;
    const trialId = (await s.user.getSweep(sweep.id)).trials[0]!.id;

    // The shared token alone no longer makes a worker.
    expect(await refusal(s.worker.heartbeat(a, { trialIds: [] }))).toBe('unauthorized');
    expect(await refusal(s.worker.leaseTrial(a))).toBe('unauthorized');
    expect(await refusal(s.worker.report(trialId, { type: 'released', workerId: a, reason: 'x' }))).toBe('unauthorized');

    // A second registration with the same token cannot act as the first.
    const b = await s.worker.registerWorker({ host: 'node-b', slots: 1, backends: [] });
    const asB = new ApiClient({ baseUrl: s.url, token: TEST_WORKER_TOKEN, worker: { workerId: b.workerId, workerSecret: b.workerSecret } });
    expect(await refusal(asB.heartbeat(a, { trialIds: [trialId] }))).toBe('forbidden');
    expect(await refusal(asB.leaseTrial(a))).toBe('forbidden');
    expect(await refusal(asB.report(trialId, { type: 'failed', workerId: a, error: 'x', retryable: true }))).toBe('forbidden');
    const withWrongSecret = new ApiClient({ baseUrl: s.url, token: TEST_WORKER_TOKEN, worker: { workerId: a, workerSecret: b.workerSecret } });
    expect(await refusal(withWrongSecret.leaseTrial(a))).toBe('unauthorized');
    expect((await s.user.getSweep(sweep.id)).trials[0]!.status).toBe('completed');
  });

  it('registers again when the scheduler no longer knows it (here: restarted on an empty database) and goes on', async () => {
    const before = worker.workerId!;
    await stopAbruptly(s.app);
    restarted = await startAgain(s.config, s.url, await createTestDatabase(inject('pgAdminUrl')));
    const user = new ApiClient({ baseUrl: restarted.url });
    await vi.waitFor(() => expect(logs.some((l) => l.includes(`the scheduler had forgotten worker ${before}`))).toBe(true), { timeout: 30_000, interval: 50 });
    expect(worker.workerId).not.toBe(before);

    const sweep = await user.createSweep(tinySweep);
    await completed(user, sweep.id);
    expect(logs.filter((l) => l.includes('registered again'))).toHaveLength(1);

    // The push channel proved the new identity: an order for the new id reaches it.
    await vi.waitFor(() => expect(worker.pushConnected).toBe(true), { timeout: 30_000, interval: 50 });
    const stale = '00000000-0000-4000-8000-0000000000aa';
    restarted.app.get(WorkerPushPublisher).stopTrial(worker.workerId!, { trialId: stale, decision: 'cancel', reason: 'test' });
    await vi.waitFor(() => expect(logs.some((l) => l.includes(`trial ${stale}, which this worker does not run`))).toBe(true), { timeout: 10_000, interval: 20 });
  });
});
