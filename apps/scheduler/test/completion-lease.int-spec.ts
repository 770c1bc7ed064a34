import { ErrorCode, type LeasedTrial, type SweepSpecInput } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

const seeds = (name: string, n: number): SweepSpecInput => ({
  name,
  template: 'mnist-cnn',
  parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } },
  metric: { name: 'val_acc', goal: 'maximize' },
});

const done = (w: RegisteredWorker, step = 1) => ({
  type: 'completed' as const,
  workerId: w.workerId,
  step,
  metrics: { val_acc: 0.5 },
  nextLease: { freeGpus: 0, freeSlots: 1 },
});

/** A completed report with `nextLease` answers with the worker's next trial: one call fewer per trial. */
describe('completion answered with the next lease', () => {
  let s: TestScheduler;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
  });
  afterAll(async () => s.close());

  it('runs a sweep with one lease call: each trial is leased exactly once, to the worker that asked, and the counts stay exact', async () => {
    const sweep = await s.user.createSweep(seeds('chained', 5));
    const [a, b] = await Promise.all([registerWorker(s, 'chain-a'), registerWorker(s, 'chain-b')]);
    const firstA = (await a.api.leaseTrial(a.workerId)).trial!;
    const firstB = (await b.api.leaseTrial(b.workerId)).trial!;
    const seen: { trial: LeasedTrial; by: string }[] = [
      { trial: firstA, by: a.workerId },
      { trial: firstB, by: b.workerId },
    ];
    // Both workers chain their trials through completions, interleaved.
    const chain = async (w: RegisteredWorker, first: LeasedTrial) => {
      let trial: LeasedTrial | null | undefined = first;
      while (trial) {
        await w.api.report(trial.id, { type: 'epoch', workerId: w.workerId, step: 1, metrics: { val_acc: 0.4 } });
        const answer = await w.api.report(trial.id, done(w));
        expect(answer.decision).toBe('continue');
        expect(answer.next).not.toBeUndefined();
        trial = answer.next;
        if (trial) seen.push({ trial, by: w.workerId });
      }
    };
    await Promise.all([chain(a, firstA), chain(b, firstB)]);

    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((x) => x.trial.id)).size).toBe(5);
    const { sweep: after, trials } = await s.user.getSweep(sweep.id);
    expect(after.status).toBe('completed');
    expect(after.counts).toMatchObject({ queued: 0, leased: 0, running: 0, completed: 5 });
    // Every trial ran once (one run), on the worker whose completion leased it.
    for (const { trial, by } of seen) {
      const detail = await s.user.getTrial(trial.id);
      expect(detail.runs.map((r) => [r.workerId, r.outcome])).toEqual([[by, 'completed']]);
    }
    expect(trials.every((t) => t.status === 'completed')).toBe(true);
  });

  it('answers next: null when nothing is queued, and leaves next out when the report did not ask', async () => {
    const sweep = await s.user.createSweep(seeds('pair', 2));
    const w = await registerWorker(s, 'chain-c');
    const first = (await w.api.leaseTrial(w.workerId)).trial!;
    const { nextLease: _, ...plain } = done(w);
    const answer = await w.api.report(first.id, plain);
    expect(answer).not.toHaveProperty('next');
    const second = (await w.api.leaseTrial(w.workerId)).trial!;
    const last = await w.api.report(second.id, done(w));
    expect(last.next).toBeNull();
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ queued: 0, leased: 0, completed: 2 });
  });

  it('leases nothing for a completion that was refused: a repeated completion is a 409 and takes no trial', async () => {
    const sweep = await s.user.createSweep(seeds('repeat', 3));
    const w = await registerWorker(s, 'chain-d');
    const first = (await w.api.leaseTrial(w.workerId)).trial!;
    const answer = await w.api.report(first.id, done(w));
    expect(answer.next?.id).toBeDefined();
    await expect(w.api.report(first.id, done(w))).rejects.toMatchObject({ code: ErrorCode.TrialFinished });
    // Only the one trial the first completion leased is out.
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ queued: 1, leased: 1, completed: 1 });
    await s.user.cancelSweep(sweep.id);
  });

  it('stores a completion that carries the last epoch as the epoch report and the completion would be: points of both, leased → completed, one run', async () => {
    const sweep = await s.user.createSweep(seeds('folded', 1));
    const w = await registerWorker(s, 'fold-a');
    const trial = (await w.api.leaseTrial(w.workerId)).trial!;
    const answer = await w.api.report(trial.id, {
      type: 'completed',
      workerId: w.workerId,
      step: 1,
      metrics: { val_acc: 0.7, test_acc: 0.65 },
      lastEpoch: { step: 1, metrics: { val_acc: 0.6, loss: 0.9 } },
      nextLease: { freeGpus: 0, freeSlots: 1 },
    });
    expect(answer).toMatchObject({ cancel: false, decision: 'continue', next: null });
    const { points } = await s.user.getTrialMetrics(trial.id);
    // The epoch's points first: a completion's value at the same step and name does not replace it.
    expect(Object.fromEntries(points.map((p) => [`${p.step}:${p.name}`, p.value]))).toEqual({ '1:val_acc': 0.6, '1:loss': 0.9, '1:test_acc': 0.65 });
    const { sweep: after, trials } = await s.user.getSweep(sweep.id);
    expect(after).toMatchObject({ status: 'completed', counts: { leased: 0, running: 0, completed: 1 } });
    expect(trials[0]).toMatchObject({ status: 'completed', score: 0.7, step: 1 });
    expect((await s.user.getTrial(trial.id)).runs.map((r) => r.outcome)).toEqual(['completed']);
  });

  it("answers a folded completion with the epoch's stop when the trial was cancelled, and applies nothing", async () => {
    const sweep = await s.user.createSweep(seeds('folded-cancel', 2));
    const w = await registerWorker(s, 'fold-b');
    const trial = (await w.api.leaseTrial(w.workerId)).trial!;
    await s.user.cancelTrial(trial.id);
    const answer = await w.api.report(trial.id, { ...done(w), lastEpoch: { step: 1, metrics: { val_acc: 0.6 } } });
    expect(answer).toMatchObject({ cancel: true, decision: 'cancel' });
    expect(answer.next).toBeUndefined();
    expect((await s.user.getTrialMetrics(trial.id)).points).toEqual([]);
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ queued: 1, leased: 0, cancelled: 1, completed: 0 });
    await s.user.cancelSweep(sweep.id);
  });

  it('applies a folded completion one report after the other on a pruned sweep (the pruner sees the epoch), with the same result', async () => {
    const sweep = await s.user.createSweep({ ...seeds('folded-median', 1), pruner: { type: 'median', warmupSteps: 0, minTrials: 1 } });
    const w = await registerWorker(s, 'fold-c');
    const trial = (await w.api.leaseTrial(w.workerId)).trial!;
    const answer = await w.api.report(trial.id, { ...done(w), lastEpoch: { step: 1, metrics: { val_acc: 0.6 } } });
    expect(answer).toMatchObject({ cancel: false, decision: 'continue', next: null });
    expect((await s.user.getTrialMetrics(trial.id)).points.map((p) => [p.step, p.name, p.value])).toEqual([[1, 'val_acc', 0.6]]);
    const { sweep: after, trials } = await s.user.getSweep(sweep.id);
    expect(after).toMatchObject({ status: 'completed', counts: { running: 0, completed: 1 } });
    expect(trials[0]).toMatchObject({ status: 'completed', score: 0.6 });
  });
});
