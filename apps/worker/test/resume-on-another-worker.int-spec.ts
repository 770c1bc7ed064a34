import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker } from '../src/worker.js';

describe('a trial handed back mid-run', () => {
  let s: TestScheduler;
  let artifacts: string;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-resume-'));
  });
  afterAll(async () => {
    await s.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('is resumed by another worker from its last checkpoint, without losing or repeating an epoch', async () => {
    const sweep = await s.user.createSweep({
      name: 'resume',
      template: 'mnist-cnn',
      parameters: { epochs: { value: 4 }, trainSize: { value: 512 }, validationSize: { value: 128 } },
      metric: { name: 'val_loss', goal: 'minimize' },
      maxRetries: 0,
    });
    const config = { apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: artifacts, pollIntervalMs: 100 };
    const logsA: string[] = [];
    const a = new Worker({ ...config, host: 'node-a' }, { log: (l) => logsA.push(l) });
    await a.start();
    const trialId = (await s.user.getSweep(sweep.id)).trials[0]!.id;
    while (!(await s.user.getTrialMetrics(trialId)).points.some((p) => p.step === 1)) await sleep(100);
    await a.stop(); // node A goes away mid-trial: the trial goes back to the queue

    const handedBack = (await s.user.getSweep(sweep.id)).trials[0]!;
    expect(handedBack.status, logsA.join('\n')).toBe('queued');
    expect(handedBack.attempt).toBe(1); // a hand-back is not a failure: maxRetries 0 still lets it run
    const doneByA = handedBack.step!;
    expect(doneByA).toBeGreaterThanOrEqual(1);

    const logsB: string[] = [];
    const b = new Worker({ ...config, host: 'node-b' }, { log: (l) => logsB.push(l) });
    await b.start();
    while ((await s.user.getSweep(sweep.id)).sweep.status !== 'completed') await sleep(200);
    await b.stop();

    const trial = (await s.user.getSweep(sweep.id)).trials[0]!;
    expect(trial.status, logsB.join('\n')).toBe('completed');
    // Epochs B trained (the training loop logs "epoch N/4"): it picks up right after A's last
    // reported epoch, whose checkpoint is written before the report.
    expect(logsB.join('\n')).toContain(`resumed from checkpoint at epoch ${doneByA}`);
    const epochsRunByB = logsB.filter((l) => / epoch \d+\/4 /.test(l)).map((l) => Number(/ epoch (\d+)\/4 /.exec(l)![1]));
    expect(epochsRunByB[0]).toBe(doneByA + 1);
    expect(epochsRunByB.at(-1)).toBe(4);
    const steps = (await s.user.getTrialMetrics(trialId)).points.filter((p) => p.name === 'val_loss').map((p) => p.step);
    expect(steps).toEqual([1, 2, 3, 4]);
  });
});
