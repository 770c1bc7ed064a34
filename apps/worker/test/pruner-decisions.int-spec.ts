import type { SweepSpecInput } from '@ablate/contracts';
import { startTestScheduler, TEST_WORKER_TOKEN, type TestScheduler } from '@ablate/scheduler/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { Worker } from '../src/worker.js';

const metric = { name: 'val_acc', goal: 'maximize' } as const;
/** Epochs of a fraction of a second: the decisions, not the training, are under test. */
const tiny = {
  epochs: { value: 3 },
  trainSize: { value: 256 },
  validationSize: { value: 64 },
  batchSize: { value: 32 },
};

describe("the pruners' decisions in report answers, obeyed by a real worker", () => {
  let s: TestScheduler;
  let artifacts: string;
  let worker: Worker | null = null;
  let logs: string[] = [];
  const linesOf = (trialId: string) => logs.filter((l) => l.startsWith(`trial ${trialId} `));

  async function runToEnd(spec: SweepSpecInput): Promise<string> {
    const sweep = await s.user.createSweep(spec);
    worker = new Worker(
      {
        apiUrl: s.url,
        token: TEST_WORKER_TOKEN,
        artifactsDir: artifacts,
        pollIntervalMs: 50,
        host: 'node-pruned',
        // One slot: the trials run in index order, so each pruner sees the earlier trials' steps
        // (with one slot per core, the two trials of the median case raced and neither was pruned).
        cpuSlots: 1,
      },
      { log: (l) => logs.push(l) },
    );
    await worker.start();
    await vi.waitFor(async () => expect((await s.user.getSweep(sweep.id)).sweep.status).toBe('completed'), {
      timeout: 120_000,
      interval: 100,
    });
    return sweep.id;
  }

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    artifacts = await mkdtemp(path.join(os.tmpdir(), 'ablate-pruners-'));
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    expect(
      logs.filter((l) => /: (failed|released|abandoned)/.test(l)),
      logs.join('\n'),
    ).toEqual([]);
    logs = [];
  });
  afterAll(async () => {
    await s.close();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('median: a trial worse than the others at its step is pruned mid-training, reports nothing more, and its checkpoint goes', async () => {
    // A learning rate of 1e-6 leaves the second trial at chance after one epoch; the first learns.
    const sweepId = await runToEnd({
      name: 'median on a worker',
      template: 'mnist-cnn',
      parameters: { ...tiny, learningRate: { values: [0.01, 0.000001] } },
      pruner: { type: 'median', warmupSteps: 0, minTrials: 1 },
      metric,
    });
    const { trials, sweep } = await s.user.getSweep(sweepId);
    expect(sweep.counts).toMatchObject({ completed: 1, pruned: 1 });
    const pruned = trials.find((t) => t.status === 'pruned')!;
    expect(pruned.params.learningRate).toBe(0.000001);
    const lines = linesOf(pruned.id);
    expect(lines.filter((l) => l.includes(': decision '))).toEqual([
      `${lines[0]!.split(': ')[0]}: decision prune (report answer): ${pruned.statusReason}`,
    ]);
    // The sweep ends when the scheduler prunes the trial; the worker stops its child a moment later.
    await vi.waitFor(
      () => {
        expect(linesOf(pruned.id).at(-1)).toContain(`stopped (pruned: ${pruned.statusReason})`);
        expect(existsSync(path.join(artifacts, 'trials', pruned.id))).toBe(false);
      },
      { timeout: 30_000, interval: 100 },
    );
    // Its first epoch was the last the scheduler heard of; the one under way when the answer came was dropped.
    expect((await s.user.getTrialMetrics(pruned.id)).points.map((p) => p.step)).toEqual([1, 1, 1, 1]);
  });

  it('ASHA: a paused trial keeps its checkpoint and, once promoted, resumes from it without a gap or a repeat', async () => {
    const sweepId = await runToEnd({
      name: 'asha on a worker',
      template: 'mnist-cnn',
      parameters: { ...tiny, seed: { values: [1, 2] } },
      pruner: { type: 'asha', gracePeriod: 1, reductionFactor: 2 },
      metric,
    });
    const { trials } = await s.user.getSweep(sweepId);
    const paused = trials.filter((t) =>
      linesOf(t.id).some((l) => l.includes(': decision pause (report answer): ')),
    );
    expect(paused.length, logs.join('\n')).toBeGreaterThan(0);
    for (const t of paused)
      expect(linesOf(t.id).find((l) => l.includes('stopped (paused: '))).toContain(
        `checkpoint kept in ${path.join(artifacts, 'trials', t.id)}`,
      );
    // Every completed trial ran its 3 epochs once: the ones that were paused resumed from their checkpoint.
    const completed = trials.filter((t) => t.status === 'completed');
    expect(completed.length).toBeGreaterThan(0);
    const resumed = completed.filter((t) =>
      linesOf(t.id).some((l) => l.includes('resumed from checkpoint at epoch')),
    );
    expect(resumed.length, logs.join('\n')).toBeGreaterThan(0);
    for (const t of completed) {
      const steps = (await s.user.getTrialMetrics(t.id)).points
        .filter((p) => p.name === 'val_acc')
        .map((p) => p.step);
      expect(steps, t.id).toEqual([1, 2, 3]);
      const trained = linesOf(t.id).flatMap((l) => /: epoch (\d+)\/3 /.exec(l)?.[1] ?? []);
      expect(trained, t.id).toEqual(['1', '2', '3']);
    }
  });
});
