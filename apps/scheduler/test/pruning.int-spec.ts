import type { SweepSpecInput } from '@ablate/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';
import { complete, epoch, leaseFrom, recount } from './sweep-driver.js';

const metric = { name: 'val_acc', goal: 'maximize' } as const;
const seeds = (n: number) => ({ seed: { values: Array.from({ length: n }, (_, i) => i) } });

describe('pruning through REST reports: median and ASHA', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let w: RegisteredWorker;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    w = await registerWorker(s, 'pruning');
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  async function quiet(): Promise<void> {
    for (const x of (await s.user.listSweeps()).sweeps) if (['queued', 'running', 'paused', 'stopping'].includes(x.status)) await s.user.cancelSweep(x.id);
  }
  const trialOf = async (sweepId: string, id: string) => (await s.user.getSweep(sweepId)).trials.find((t) => t.id === id)!;
  const expectCountsRight = async (sweepId: string) => expect((await s.user.getSweep(sweepId)).sweep.counts).toEqual(await recount(db, sweepId));

  it('median: prunes a trial below the median of the others at its step, past the warm-up and once enough peers got there', async () => {
    await quiet();
    const spec: SweepSpecInput = { name: 'median', template: 'mnist-cnn', parameters: seeds(5), pruner: { type: 'median', warmupSteps: 1, minTrials: 3 }, metric };
    const sweep = await s.user.createSweep(spec);
    const trials = [];
    for (let i = 0; i < 5; i++) trials.push(await leaseFrom(w, sweep.id));
    // Step 1 is the warm-up: a bad value there is never pruned.
    for (const t of trials) await expect(epoch(w, t.id, 1, 0.1)).resolves.toMatchObject({ decision: 'continue' });
    const atStep2 = [0.8, 0.7, 0.6, 0.5, 0.9];
    const answers = [];
    for (const [i, t] of trials.entries()) answers.push(await epoch(w, t.id, 2, atStep2[i]!));
    expect(answers.map((a) => a.decision)).toEqual(['continue', 'continue', 'continue', 'prune', 'continue']);
    expect(answers[3]).toMatchObject({ cancel: true, reason: 'best val_acc so far (0.5) is below the median 0.7 of 3 other trials at step 2' });
    expect(await trialOf(sweep.id, trials[3]!.id)).toMatchObject({ status: 'pruned', statusReason: answers[3]!.reason });
    // Its worker retries the report (the answer was lost): it hears the same decision.
    await expect(epoch(w, trials[3]!.id, 2, 0.5)).resolves.toMatchObject({ decision: 'prune', reason: answers[3]!.reason });
    await expectCountsRight(sweep.id);
    for (const [i, t] of trials.entries()) if (i !== 3) await complete(w, t.id, 3, 0.95);
    expect((await s.user.getSweep(sweep.id)).sweep).toMatchObject({ status: 'completed', counts: { completed: 4, pruned: 1 } });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM trial_step_bests WHERE sweep_id = $1', [sweep.id]);
    expect(rows[0]!.n).toBe(5 + 5 + 4); // every scored report of every trial, one row per trial and step
  });

  it('ASHA: pauses below the rung cut, promotes on a later arrival and at settling, resumes after its step, prunes the rest, and the sweep ends', async () => {
    await quiet();
    const spec: SweepSpecInput = { name: 'asha', template: 'mnist-cnn', parameters: seeds(2), pruner: { type: 'asha', gracePeriod: 1, reductionFactor: 2 }, metric };
    const sweep = await s.user.createSweep(spec);
    const t0 = await leaseFrom(w, sweep.id);
    // Rung 0 (step 1) with one trial keeps floor(1/2) = 0: t0 waits there, paused.
    const first = await epoch(w, t0.id, 1, 0.5);
    expect(first).toMatchObject({ cancel: true, decision: 'pause', reason: expect.stringContaining('paused at rung 0 (step 1)') as string });
    expect(await trialOf(sweep.id, t0.id)).toMatchObject({ status: 'paused', step: 1 });
    await expect(epoch(w, t0.id, 1, 0.5)).resolves.toMatchObject({ decision: 'pause' }); // a retried report hears it again
    const t1 = await leaseFrom(w, sweep.id);
    // t1 arrives below t0: the rung now keeps 1, the best (t0), which is promoted; t1 waits.
    await expect(epoch(w, t1.id, 1, 0.4)).resolves.toMatchObject({ decision: 'pause' });
    expect(await trialOf(sweep.id, t0.id)).toMatchObject({ status: 'queued', statusReason: null });
    await expectCountsRight(sweep.id);
    // The promoted trial resumes from its checkpoint: the lease says after which step.
    expect(await leaseFrom(w, sweep.id)).toMatchObject({ id: t0.id, resumeAfterStep: 1 });
    await expect(epoch(w, t0.id, 2, 0.6)).resolves.toMatchObject({ decision: 'pause' }); // rung 1 (step 2), alone again
    // Nothing runs now, only paused trials are left: settling prunes t1 at rung 0 and promotes t0 at rung 1.
    const settled = await s.user.getSweep(sweep.id);
    expect(settled.sweep).toMatchObject({ status: 'running', counts: { queued: 1, paused: 0, pruned: 1 } });
    expect(settled.trials.find((t) => t.id === t1.id)).toMatchObject({
      status: 'pruned',
      statusReason: 'pruned at rung 0 (step 1): val_acc 0.4 was not in the top 1/2 of the 2 trials there',
    });
    expect(await leaseFrom(w, sweep.id)).toMatchObject({ id: t0.id, resumeAfterStep: 2 });
    await expect(epoch(w, t0.id, 3, 0.7)).resolves.toMatchObject({ decision: 'continue' });
    await expect(complete(w, t0.id, 4, 0.8)).resolves.toMatchObject({ decision: 'continue' });
    expect((await s.user.getSweep(sweep.id)).sweep).toMatchObject({ status: 'completed', counts: { completed: 1, pruned: 1, paused: 0 } });
    await expectCountsRight(sweep.id);
    const { rows } = await db.query<{ rung: number; status: string }>('SELECT rung, status FROM asha_rungs WHERE sweep_id = $1 AND trial_id = $2 ORDER BY rung', [sweep.id, t0.id]);
    expect(rows).toEqual([{ rung: 0, status: 'promoted' }, { rung: 1, status: 'promoted' }, { rung: 2, status: 'stopped' }]);
  });
});
