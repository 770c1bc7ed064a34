import { ApiError, ErrorCode, type LeasedTrial } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

async function lease(worker: RegisteredWorker): Promise<LeasedTrial> {
  const { trial } = await worker.api.leaseTrial(worker.workerId);
  if (!trial) throw new Error('nothing leased');
  return trial;
}

describe('GET /api/trials/:id: the trial page (runs written by the trials trigger, error code, checkpoint)', () => {
  let s: TestScheduler;
  let first: RegisteredWorker;
  let second: RegisteredWorker;

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    await s.user.createSweep({
      name: 'runs',
      template: 'command',
      parameters: { command: { value: 'python3 train.py' }, lr: { values: [0.1, 0.2] } },
      metric: { name: 'score', goal: 'maximize' },
      maxRetries: 1,
    });
    first = await registerWorker(s, 'node-a');
    second = await registerWorker(s, 'node-b');
  });
  afterAll(async () => s.close());

  it('lists each lease with its worker and outcome: a retried failure on one node, a release, a completion on another', async () => {
    const trial = await lease(first);
    await first.api.report(trial.id, { type: 'epoch', workerId: first.workerId, step: 1, metrics: { score: 0.4 } });
    await first.api.report(trial.id, { type: 'failed', workerId: first.workerId, error: 'CUDA out of memory', retryable: true, code: 'out_of_memory' });
    const again = await lease(second);
    expect(again.id).toBe(trial.id);
    await second.api.report(trial.id, { type: 'released', workerId: second.workerId, reason: 'worker shutting down' });
    await lease(second);
    await second.api.report(trial.id, { type: 'completed', workerId: second.workerId, step: 2, metrics: { score: 0.9 } });

    const detail = await s.user.getTrial(trial.id);
    expect(detail.trial).toMatchObject({ id: trial.id, status: 'completed', attempt: 2, score: 0.9 });
    expect(detail.sweep).toMatchObject({ name: 'runs', template: 'command', metric: { name: 'score', goal: 'maximize' } });
    expect(detail.errorCode).toBeNull();
    expect(detail.runs.map((r) => [r.attempt, r.host, r.outcome, r.errorCode])).toEqual([
      [1, 'node-a', 'retried', 'out_of_memory'],
      [2, 'node-b', 'released', null],
      [2, 'node-b', 'completed', null],
    ]);
    expect(detail.runs[0]).toMatchObject({ workerId: first.workerId, error: 'CUDA out of memory' });
    expect(detail.runs[1]?.error).toBe('worker shutting down');
    expect(detail.runs.every((r) => r.endedAt !== null)).toBe(true);
    expect(detail.checkpoint).toBeNull();
  });

  it('keeps a permanent failure and its code on the trial, and an open run while a trial runs', async () => {
    const trial = await lease(first);
    const running = await s.user.getTrial(trial.id);
    expect(running.runs).toEqual([expect.objectContaining({ attempt: 1, host: 'node-a', endedAt: null, outcome: null })]);
    await first.api.report(trial.id, { type: 'failed', workerId: first.workerId, error: 'data/x.csv is missing', retryable: false, code: 'dataset_missing' });
    const failed = await s.user.getTrial(trial.id);
    expect(failed.trial).toMatchObject({ status: 'failed', error: 'data/x.csv is missing' });
    expect(failed.errorCode).toBe('dataset_missing');
    expect(failed.runs.map((r) => [r.outcome, r.errorCode])).toEqual([['failed', 'dataset_missing']]);
  });

  it('answers 404 trial_not_found for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const error = await s.user.getTrial(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(ErrorCode.TrialNotFound);
    }
  });
});
