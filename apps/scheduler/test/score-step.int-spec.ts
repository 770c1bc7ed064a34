import type { SweepSpecInput } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestScheduler } from '../src/testing/index.js';
import { startWithWorker, type RegisteredWorker } from './registered-worker.js';
import { leaseFrom } from './sweep-driver.js';

const spec: SweepSpecInput = { name: 'score step', template: 'mnist-cnn', parameters: { seed: { values: [1, 2] } }, metric: { name: 'val_acc', goal: 'maximize' } };

describe('score step: the epoch a trial\'s score (and its final metrics) come from', () => {
  let s: TestScheduler;
  let w: RegisteredWorker;

  beforeAll(async () => ({ s, w } = await startWithWorker()));
  afterAll(async () => {
    await s.close();
  });

  it('is stored from the reports and served on the leaderboard and the sweep', async () => {
    const sweep = await s.user.createSweep(spec);
    const report = (trialId: string, type: 'epoch' | 'completed', step: number, metrics: Record<string, number>, scoreStep?: number) =>
      w.api.report(trialId, { type, workerId: w.workerId, step, metrics, ...(scoreStep === undefined ? {} : { scoreStep }) });

    // the lease tells the trainer which metric to keep the best weights for
    const a = await leaseFrom(w, sweep.id);
    expect(a.metric).toEqual({ name: 'val_acc', goal: 'maximize' });
    await report(a.id, 'epoch', 1, { val_acc: 0.8 });
    await report(a.id, 'epoch', 2, { val_acc: 0.9 });
    await report(a.id, 'epoch', 3, { val_acc: 0.85 });
    // best weights (epoch 2) restored: the final metrics are epoch 2's and test_acc was measured on them
    await report(a.id, 'completed', 3, { val_acc: 0.9, test_acc: 0.88 }, 2);

    // a trial whose best epoch is a final metric's own: the completed report names it
    const b = await leaseFrom(w, sweep.id);
    await report(b.id, 'epoch', 1, { val_acc: 0.5 });
    await report(b.id, 'completed', 2, { val_acc: 0.95 }, 2);

    const board = await s.user.getLeaderboard(sweep.id);
    expect(board.trials.map((t) => [t.id, t.score, t.scoreStep, t.step])).toEqual([
      [b.id, 0.95, 2, 2],
      [a.id, 0.9, 2, 3],
    ]);
    const rows = (await s.user.getSweep(sweep.id)).trials;
    expect(rows.find((t) => t.id === a.id)?.scoreStep).toBe(2);
    expect(rows.find((t) => t.id === a.id)?.metrics['test_acc']).toBe(0.88);
  });
});
