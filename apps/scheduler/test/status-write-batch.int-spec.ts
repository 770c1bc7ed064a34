import type { SweepSpecInput } from '@ablate/contracts';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from '../src/database/transaction.js';
import { LeasesRepository } from '../src/modules/trials/leases.repository.js';
import { statusWriteBatchStatement, toStatusWriteResult, writeStatusBatch, type StatusWrite } from '../src/modules/trials/status-write-batch.js';
import type { TrialRow } from '../src/modules/trials/trial-rows.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker } from './registered-worker.js';

const seeds = (name: string, n: number): SweepSpecInput => ({
  name,
  template: 'mnist-cnn',
  parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } },
  metric: { name: 'val_acc', goal: 'maximize' },
});

/**
 * Status-changing reports of one sweep are written together (one sweep-row lock, one commit for all
 * that queued): each trial only if still at the revision its report read, the counts moved by what
 * was written.
 */
describe('status-changing writes of one sweep in one statement', () => {
  let s: TestScheduler;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
  });
  afterAll(async () => s.close());

  const pointsOf = async (trialId: string) =>
    (
      await sql<{ name: string; step: number; value: number }>(
        s.app.get(DataSource).manager,
        'SELECT name, step, value FROM metric_points WHERE trial_id = $1 ORDER BY name, step',
        [trialId],
      )
    ).map((r) => [r.name, r.step, r.value]);

  /** `n` new workers each lease one trial (of the newest sweep: the others are cancelled), in turn. */
  const leaseEach = async (n: number, host: string, now: Date): Promise<TrialRow[]> => {
    const workers = await Promise.all(Array.from({ length: n }, (_, i) => registerWorker(s, `${host}-${i}`)));
    const leased: TrialRow[] = [];
    for (const w of workers) leased.push((await s.app.get(LeasesRepository).leaseNextTrial(w.workerId, now, new Date(now.getTime() + 60_000)))!.trial);
    return leased;
  };

  it('writes the trials still at the revision read, stores only their points, and moves the counts by exactly those', async () => {
    const sweep = await s.user.createSweep(seeds('batched-writes', 5));
    const now = new Date();
    const [a, b, c, d] = (await leaseEach(4, 'writes', now)) as [TrialRow, TrialRow, TrialRow, TrialRow];
    const at = new Date(now.getTime() + 1000);
    const writes: StatusWrite[] = [
      { before: a, next: { ...a, status: 'running', startedAt: at, step: 1, updatedAt: at }, points: { step: 1, metrics: { val_acc: 0.3 } }, now: at },
      {
        before: b,
        next: { ...b, status: 'completed', step: 1, metrics: { val_acc: 0.6, test_acc: 0.55 }, score: 0.6, finishedAt: at, leaseOwner: null, leaseExpiresAt: null, updatedAt: at },
        points: { step: 1, metrics: { val_acc: 0.6, test_acc: 0.55 } },
        now: at,
      },
      // Read before a write that moved it on: not written, its points not stored, not counted.
      { before: { ...c, revision: c.revision - 1 }, next: { ...c, status: 'completed', score: 0.9, finishedAt: at, updatedAt: at }, points: { step: 1, metrics: { val_acc: 0.9 } }, now: at },
      { before: d, next: { ...d, status: 'failed', error: 'boom', finishedAt: at, leaseOwner: null, leaseExpiresAt: null, updatedAt: at }, points: undefined, now: at },
    ];
    const { text, values } = statusWriteBatchStatement(sweep.id, writes);
    const result = toStatusWriteResult(await sql(s.app.get(DataSource).manager, text, values));

    expect([...result.written].sort()).toEqual([0, 1, 3]);
    expect(result.sweep!.counts).toMatchObject({ queued: 1, leased: 1, running: 1, completed: 1, failed: 1 });
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ queued: 1, leased: 1, running: 1, completed: 1, failed: 1 });
    const trials = new Map((await s.user.getSweep(sweep.id)).trials.map((t) => [t.id, t]));
    expect(trials.get(a.id)).toMatchObject({ status: 'running', step: 1 });
    expect(trials.get(b.id)).toMatchObject({ status: 'completed', score: 0.6, metrics: { val_acc: 0.6, test_acc: 0.55 } });
    expect(trials.get(c.id)).toMatchObject({ status: 'leased', score: null });
    expect(trials.get(d.id)).toMatchObject({ status: 'failed', error: 'boom' });
    expect(await pointsOf(a.id)).toEqual([['val_acc', 1, 0.3]]);
    expect(await pointsOf(b.id)).toEqual([
      ['test_acc', 1, 0.55],
      ['val_acc', 1, 0.6],
    ]);
    expect(await pointsOf(c.id)).toEqual([]);

    // Nothing written (all stale): no row moves and the sweep is left as it was.
    const again = statusWriteBatchStatement(sweep.id, writes.slice(0, 2));
    const none = toStatusWriteResult(await sql(s.app.get(DataSource).manager, again.text, again.values));
    expect(none.written.size).toBe(0);
    expect(none.sweep).toBeUndefined();
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ queued: 1, leased: 1, running: 1, completed: 1, failed: 1 });
    await s.user.cancelSweep(sweep.id);
  });

  it('writes the others when the database refuses one write of a batch, and fails only that one', async () => {
    const sweep = await s.user.createSweep(seeds('one-refused', 3));
    const now = new Date();
    const leased = await leaseEach(3, 'refused', now);
    const at = new Date(now.getTime() + 1000);
    const start = (t: TrialRow, step: number): StatusWrite => ({
      before: t,
      next: { ...t, status: 'running', startedAt: at, step, updatedAt: at },
      points: { step, metrics: { val_acc: 0.4 } },
      now: at,
    });
    // A step past PostgreSQL's int range: the whole statement is refused ("integer out of range").
    const results = await writeStatusBatch(s.app.get(DataSource).manager, sweep.id, [start(leased[0]!, 1), start(leased[1]!, 2 ** 31), start(leased[2]!, 1)]);

    expect(results[0]).toMatchObject({ sweep: { id: sweep.id } });
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error & { code?: string }).code).toBe('22003');
    expect(results[2]).toMatchObject({ sweep: { id: sweep.id } });
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ leased: 1, running: 2 });
    expect(await pointsOf(leased[1]!.id)).toEqual([]);
    expect(await pointsOf(leased[2]!.id)).toEqual([['val_acc', 1, 0.4]]);
    await s.user.cancelSweep(sweep.id);
  });

  it('takes 12 workers starting and completing their trials at the same moment: every report applied once, counts exact, the sweep completed', async () => {
    const sweep = await s.user.createSweep(seeds('twelve-at-once', 12));
    const workers = await Promise.all(Array.from({ length: 12 }, (_, i) => registerWorker(s, `at-once-${i}`)));
    const trials = await Promise.all(workers.map(async (w) => ({ w, trial: (await w.api.leaseTrial(w.workerId)).trial! })));
    const started = await Promise.all(trials.map(({ w, trial }) => w.api.report(trial.id, { type: 'epoch', workerId: w.workerId, step: 1, metrics: { val_acc: 0.1 } })));
    expect(started.every((a) => a.decision === 'continue')).toBe(true);
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ leased: 0, running: 12 });
    const finished = await Promise.all(
      trials.map(({ w, trial }, i) =>
        w.api.report(trial.id, { type: 'completed', workerId: w.workerId, step: 2, metrics: { test_acc: 0.5 }, lastEpoch: { step: 2, metrics: { val_acc: 0.2 + i / 100 } } }),
      ),
    );
    expect(finished.every((a) => a.decision === 'continue')).toBe(true);
    const after = (await s.user.getSweep(sweep.id)).sweep;
    expect(after).toMatchObject({ status: 'completed', counts: { queued: 0, leased: 0, running: 0, completed: 12 } });
    for (const [i, { trial }] of trials.entries()) {
      expect(await pointsOf(trial.id)).toEqual([
        ['test_acc', 2, 0.5],
        ['val_acc', 1, 0.1],
        ['val_acc', 2, 0.2 + i / 100],
      ]);
    }
  });
});
