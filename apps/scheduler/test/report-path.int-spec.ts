import { ApiError, type SweepSpecInput, type TrialStatus } from '@ablate/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { LeaseReaperService } from '../src/modules/trials/lease-reaper.service.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

const TTL = 600_000; // the reaper's own timer never fires during the test; reap() does, at the manual clock's time

function grid(name: string, n: number, maxRetries = 2): SweepSpecInput {
  return {
    name,
    template: 'mnist-cnn',
    parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } },
    metric: { name: 'val_acc', goal: 'maximize' },
    maxRetries,
  };
}

/** mulberry32: a small seeded generator, so a failing storm can be replayed with its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('report path: exactly once, counts kept in the sweep row', () => {
  let s: TestScheduler;
  let db: pg.Client;
  const clock = new ManualClock();
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { clock, leaseTtlMs: TTL });
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  async function recount(sweepId: string): Promise<Record<TrialStatus, number>> {
    const { rows } = await db.query<{ status: TrialStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM trials WHERE sweep_id = $1 GROUP BY status',
      [sweepId],
    );
    const counts = { queued: 0, leased: 0, running: 0, paused: 0, completed: 0, pruned: 0, failed: 0, cancelled: 0 };
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  async function leaseFrom(w: RegisteredWorker, sweepId: string) {
    const { trial } = await w.api.leaseTrial(w.workerId);
    expect(trial?.sweepId).toBe(sweepId);
    return trial!;
  }

  it('stores concurrent duplicate reports once, moves the status once, and keeps the best score', async () => {
    const sweep = await s.user.createSweep(grid('duplicates', 1));
    const w = await registerWorker(s, 'dup');
    const trial = await leaseFrom(w, sweep.id);
    const report = (step: number, val_acc: number) =>
      w.api.report(trial.id, {
        type: 'epoch',
        workerId: w.workerId,
        step,
        metrics: { val_acc, loss: 1 / step },
      });
    // 10 copies of each of 3 steps at once: the first epoch (leased → running) races its own copies.
    await Promise.all(
      [1, 2, 3].flatMap((step) => Array.from({ length: 10 }, () => report(step, [0.5, 0.9, 0.7][step - 1]!))),
    );
    const { points } = await s.user.getTrialMetrics(trial.id);
    expect(points.map((p) => `${p.step}:${p.name}`)).toEqual([
      '1:loss',
      '1:val_acc',
      '2:loss',
      '2:val_acc',
      '3:loss',
      '3:val_acc',
    ]);
    const detail = await s.user.getSweep(sweep.id);
    expect(detail.trials[0]).toMatchObject({
      status: 'running',
      step: 3,
      score: 0.9,
      metrics: { val_acc: 0.7 },
    });
    expect(detail.sweep.counts).toEqual(await recount(sweep.id));

    const done = { type: 'completed' as const, workerId: w.workerId, step: 3, metrics: { val_acc: 0.7 } };
    const answers = await Promise.allSettled(Array.from({ length: 8 }, () => w.api.report(trial.id, done)));
    expect(answers.filter((a) => a.status === 'fulfilled').length).toBe(1);
    for (const a of answers)
      if (a.status === 'rejected') expect((a.reason as ApiError).code).toBe('trial_finished');
    const after = await s.user.getSweep(sweep.id);
    expect(after.sweep).toMatchObject({ status: 'completed', counts: { completed: 1, running: 0 } });
  });

  it("accepts the reports of a trial's new holder although the scheduler last wrote it for another worker", async () => {
    const sweep = await s.user.createSweep(grid('moved', 1));
    const [first, second] = await Promise.all([registerWorker(s, 'first'), registerWorker(s, 'second')]);
    const trial = await leaseFrom(first, sweep.id);
    await first.api.report(trial.id, {
      type: 'epoch',
      workerId: first.workerId,
      step: 1,
      metrics: { val_acc: 0.2 },
    });
    await first.api.report(trial.id, { type: 'released', workerId: first.workerId, reason: 'shutting down' });
    expect(await leaseFrom(second, sweep.id)).toMatchObject({ id: trial.id, resumeAfterStep: 1 });
    await expect(
      second.api.report(trial.id, {
        type: 'epoch',
        workerId: second.workerId,
        step: 2,
        metrics: { val_acc: 0.3 },
      }),
    ).resolves.toMatchObject({ cancel: false });
    await expect(
      first.api.report(trial.id, {
        type: 'epoch',
        workerId: first.workerId,
        step: 2,
        metrics: { val_acc: 0.9 },
      }),
    ).rejects.toMatchObject({ code: 'lease_not_held' });
    expect((await s.user.getSweep(sweep.id)).trials[0]).toMatchObject({
      status: 'running',
      step: 2,
      score: 0.3,
      attempt: 1,
    });
  });

  it('refuses metrics outside their template range with 400 naming the metric, and stores nothing', async () => {
    const sweep = await s.user.createSweep(grid('implausible', 1));
    const w = await registerWorker(s, 'liar');
    const trial = await leaseFrom(w, sweep.id);
    const cases: Record<string, number>[] = [
      { val_acc: 1.5 },
      { val_acc: 0.5, loss: -1 },
      { val_acc: 1e308 },
    ];
    for (const metrics of cases) {
      const err = await w.api
        .report(trial.id, { type: 'epoch', workerId: w.workerId, step: 1, metrics })
        .then(
          () => null,
          (e: unknown) => e as ApiError,
        );
      expect(err?.code).toBe('validation_failed');
      expect(err?.issues?.map((i) => i.path)).toEqual([
        metrics.val_acc === 0.5 ? 'metrics.loss' : 'metrics.val_acc',
      ]);
    }
    expect((await s.user.getTrialMetrics(trial.id)).points).toEqual([]);
    expect((await s.user.getSweep(sweep.id)).trials[0]).toMatchObject({
      status: 'leased',
      step: null,
      score: null,
    });
  });

  it('cancels a 2,000-trial sweep in one statement, with the counts right', async () => {
    const sweep = await s.user.createSweep(grid('big cancel', 2000));
    const w = await registerWorker(s, 'canceller');
    const done = await leaseFrom(w, sweep.id);
    await w.api.report(done.id, {
      type: 'completed',
      workerId: w.workerId,
      step: 1,
      metrics: { val_acc: 0.5 },
    });
    const running = await leaseFrom(w, sweep.id);
    await w.api.report(running.id, {
      type: 'epoch',
      workerId: w.workerId,
      step: 1,
      metrics: { val_acc: 0.5 },
    });
    await leaseFrom(w, sweep.id);
    const cancelled = await s.user.cancelSweep(sweep.id);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      counts: { completed: 1, cancelled: 1999, queued: 0, leased: 0, running: 0 },
    });
    expect(cancelled.counts).toEqual(await recount(sweep.id));
    await expect(
      w.api.report(running.id, { type: 'epoch', workerId: w.workerId, step: 2, metrics: { val_acc: 0.6 } }),
    ).resolves.toMatchObject({ cancel: true });
  });

  it('keeps the counts equal to a recount through a storm of leases, reports (completions with the last epoch inside and the next lease), failures, releases, expiries, pauses, prunes, a stop and cancels', async () => {
    const seed = Number(process.env.ABLATE_STORM_SEED ?? Date.now() % 1_000_000);
    console.log(`report-path storm seed ${seed} (replay: ABLATE_STORM_SEED=${seed})`);
    const random = seeded(seed);
    const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(random() * xs.length)];
    // A finished sweep cannot be cancelled (409): cancel the unfinished ones.
    for (const old of (await s.user.listSweeps()).sweeps) if (!['completed', 'failed', 'cancelled'].includes(old.status)) await s.user.cancelSweep(old.id);
    // Leases go to the oldest sweep with queued trials: the pruned ones first, so they see traffic.
    const asha = await s.user.createSweep({ ...grid('storm asha', 12), pruner: { type: 'asha', gracePeriod: 1, reductionFactor: 3 } });
    const median = await s.user.createSweep({ ...grid('storm median', 12), pruner: { type: 'median', warmupSteps: 0, minTrials: 2 } });
    const a = await s.user.createSweep(grid('storm a', 30));
    const b = await s.user.createSweep(grid('storm b', 30));
    const stopped = await s.user.createSweep(grid('storm stopped', 30));
    const sweeps = [asha, median, a, b, stopped];
    const workers = await Promise.all([1, 2, 3, 4].map((i) => registerWorker(s, `storm-${i}`)));
    // An agent reports on a trial one call at a time, so a trial with a call in flight is not picked again.
    const held = new Map<string, { worker: RegisteredWorker; step: number; busy?: boolean }>();
    const reaper = s.app.get(LeaseReaperService);
    const tolerated = new Set(['lease_not_held', 'trial_finished', 'sweep_finished']);

    const op = async (): Promise<void> => {
      const w = pick(workers)!;
      const mine = [...held.entries()].filter(([, h]) => h.worker === w);
      const [trialId, h] = pick(mine.filter(([, x]) => !x.busy)) ?? [];
      const r = random();
      if (!trialId || !h || r < 0.25) {
        const { trial } = await w.api.leaseTrial(w.workerId);
        if (trial) held.set(trial.id, { worker: w, step: trial.resumeAfterStep ?? 0 });
        return;
      }
      const step = Math.max(1, h.step + (random() < 0.8 ? 1 : 0)); // a fifth repeat the last step
      if (r < 0.87) h.step = step;
      h.busy = true;
      const base = { workerId: w.workerId };
      let stop = false;
      try {
        if (r < 0.8)
          stop = (await w.api.report(trialId, { ...base, type: 'epoch', step, metrics: { val_acc: random() } })).cancel;
        else if (r < 0.87) {
          // As the agent may send it: the last epoch inside, and the next trial asked for.
          const lastEpoch = random() < 0.5 ? { lastEpoch: { step, metrics: { val_acc: random() } } } : {};
          const nextLease = random() < 0.5 ? { nextLease: { freeGpus: 0, freeSlots: 1 } } : {};
          const answer = await w.api.report(trialId, { ...base, type: 'completed', step, metrics: { val_acc: random() }, ...lastEpoch, ...nextLease });
          if (answer.next) held.set(answer.next.id, { worker: w, step: answer.next.resumeAfterStep ?? 0 });
        }
        else if (r < 0.93)
          await w.api.report(trialId, { ...base, type: 'failed', error: 'boom', retryable: random() < 0.7 });
        else if (r < 0.97)
          await w.api.report(trialId, { ...base, type: 'released', reason: 'shutting down' });
        else await w.api.heartbeat(w.workerId, { trialIds: mine.map(([id]) => id) });
      } finally {
        h.busy = false;
        // Paused, pruned or cancelled: the agent stops it, as it would.
        if ((stop || (r >= 0.8 && r < 0.97)) && held.get(trialId) === h) held.delete(trialId);
      }
    };
    /** What users do meanwhile: pause and resume one sweep, cancel single trials. */
    const steer = async (): Promise<void> => {
      const r = random();
      if (r < 0.3) {
        const { status } = await s.user.getSweep(a.id).then((d) => d.sweep);
        await (status === 'paused' ? s.user.resumeSweep(a.id) : s.user.pauseSweep(a.id));
      } else if (r < 0.5) {
        const [trialId] = pick([...held.entries()]) ?? [];
        if (trialId) await s.user.cancelTrial(trialId);
      }
    };
    const tolerate = (err: unknown) => {
      if (!(err instanceof ApiError && tolerated.has(err.code))) throw err;
    };
    for (let round = 0; round < 50; round++) {
      const batch = Array.from({ length: 8 }, () => op().catch(tolerate));
      batch.push(steer().catch(tolerate));
      if (round === 15) batch.push(s.user.stopSweep(stopped.id).then(() => undefined));
      if (round === 20) batch.push(s.user.cancelSweep(b.id).then(() => undefined));
      if (round % 10 === 9) {
        clock.advance(TTL * 0.6); // leases not renewed by a report or heartbeat for two of these expire
        batch.push(reaper.reap().then(() => undefined));
      }
      await Promise.all(batch);
    }

    for (const sweep of sweeps) {
      const detail = await s.user.getSweep(sweep.id);
      const counts = await recount(sweep.id);
      expect(detail.sweep.counts, detail.sweep.name).toEqual(counts);
      expect((await s.user.listSweeps()).sweeps.find((x) => x.id === sweep.id)?.counts).toEqual(counts);
      console.log(`storm ${detail.sweep.name}: ${detail.sweep.status} ${JSON.stringify(counts)}`);
      const open = counts.queued + counts.leased + counts.running;
      const status = detail.sweep.status;
      if (sweep.id === b.id) expect(status).toBe('cancelled');
      else if (sweep.id === stopped.id) {
        // Stopping starts nothing new: nothing queued or paused, and it completes once nothing runs.
        expect(counts.queued + counts.paused).toBe(0);
        expect(status).toBe(counts.leased + counts.running === 0 ? 'completed' : 'stopping');
      } else if (open === 0) expect(status, `${detail.sweep.name}: nothing open, paused ${counts.paused}`).toBe('completed');
      else expect(['running', 'paused']).toContain(status);
    }
    // Every paused trial waits at exactly one ASHA rung.
    const waiting = await db.query<{ id: string; rungs: number }>(
      `SELECT t.id, (SELECT count(*)::int FROM asha_rungs r WHERE r.trial_id = t.id AND r.status = 'paused') AS rungs FROM trials t WHERE t.sweep_id = $1 AND t.status = 'paused'`,
      [asha.id],
    );
    for (const r of waiting.rows) expect(r.rungs).toBe(1);
    // Every trial's latest step is the last step stored for it; no step is missing below it.
    const { rows } = await db.query<{ id: string; step: number | null; max: number | null; steps: number }>(
      `SELECT t.id, t.step, max(p.step) AS max, count(DISTINCT p.step)::int AS steps
       FROM trials t LEFT JOIN metric_points p ON p.trial_id = t.id WHERE t.sweep_id = ANY($1) GROUP BY t.id`,
      [sweeps.map((x) => x.id)],
    );
    for (const r of rows) {
      expect(r.step).toBe(r.max);
      expect(r.steps).toBe(r.max ?? 0);
    }
  });
});
