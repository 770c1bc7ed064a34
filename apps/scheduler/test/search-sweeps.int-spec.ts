import { ApiClient, ApiError, type SweepSpecInput } from '@ablate/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { LeaseReaperService } from '../src/modules/trials/lease-reaper.service.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';
import { complete, connectWorkerSocket, leaseFrom, recount, runToTheEnd } from './sweep-driver.js';

const metric = { name: 'val_acc', goal: 'maximize' } as const;

/** A known objective: best at dropout 0.2 with batch norm on; deterministic, so TPE's path is too. */
const objective = (p: Record<string, unknown>) => Math.max(0, 0.9 - ((p.dropout as number) - 0.2) ** 2 - (p.batchNorm ? 0 : 0.1));

describe('search sweeps: random and TPE run to the end, budgets hold', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let w: RegisteredWorker;
  const clock = new ManualClock();
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { clock, leaseTtlMs: 600_000 });
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    w = await registerWorker(s, 'search');
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  /** Cancels every unfinished sweep, so leases come from the next one. */
  async function quiet(): Promise<void> {
    for (const x of (await s.user.listSweeps()).sweeps) if (['queued', 'running', 'paused', 'stopping'].includes(x.status)) await s.user.cancelSweep(x.id);
  }
  const paramsOf = async (id: string) => (await s.user.getSweep(id)).trials.sort((a, b) => a.index - b.index).map((t) => t.params);

  it('a seeded random sweep creates its whole budget, the same trials on every run, a configuration\'s seeds together', async () => {
    await quiet();
    const spec: SweepSpecInput = {
      name: 'random',
      template: 'mnist-cnn',
      method: 'random',
      seed: 7,
      maxTrials: 12,
      repeats: 2,
      parameters: { dropout: { uniform: { min: 0, max: 0.5 } }, batchNorm: { categorical: { values: [true, false] } }, epochs: { value: 1 } },
      metric,
    };
    const a = await s.user.createSweep(spec);
    const b = await s.user.createSweep(spec);
    expect(a).toMatchObject({ status: 'queued', total: 12, counts: { queued: 12 }, launchedBy: 'someone (127.0.0.1)' });
    const params = await paramsOf(a.id);
    expect(await paramsOf(b.id)).toEqual(params);
    expect(params.map((p) => p.seed)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    const { rows } = await db.query<{ configuration_key: string; n: number }>('SELECT configuration_key, count(*)::int AS n FROM trials WHERE sweep_id = $1 GROUP BY 1', [a.id]);
    expect(rows.map((r) => r.n)).toEqual([2, 2, 2, 2, 2, 2]);
    await s.user.cancelSweep(b.id);
    expect(await runToTheEnd(w, a.id, objective)).toHaveLength(12);
    expect((await s.user.getSweep(a.id)).sweep).toMatchObject({ status: 'completed', total: 12, counts: { completed: 12 } });
  });

  it('a TPE sweep keeps its window open, proposes from the finished history up to maxTrials, and the same results give the same trials', async () => {
    await quiet();
    const spec: SweepSpecInput = {
      name: 'tpe',
      template: 'mnist-cnn',
      method: 'tpe',
      seed: 3,
      maxTrials: 24,
      maxConcurrent: 3,
      tpe: { startupTrials: 5 },
      parameters: { dropout: { uniform: { min: 0, max: 0.8 } }, batchNorm: { values: [false, true] }, epochs: { value: 1 } },
      metric,
    };
    const runs: Record<string, unknown>[][] = [];
    for (const name of ['tpe once', 'tpe twice']) {
      const sweep = await s.user.createSweep({ ...spec, name });
      expect(sweep).toMatchObject({ total: 3, counts: { queued: 3 } });
      runs.push(await runToTheEnd(w, sweep.id, objective));
      const done = await s.user.getSweep(sweep.id);
      expect(done.sweep).toMatchObject({ status: 'completed', total: 24, counts: { completed: 24 } });
      expect(done.sweep.counts).toEqual(await recount(db, sweep.id));
      const { rows } = await db.query<{ sweep_state: { proposed: number } }>('SELECT sweep_state FROM sweeps WHERE id = $1', [sweep.id]);
      expect(rows[0]!.sweep_state.proposed).toBe(24);
    }
    expect(runs[1]).toEqual(runs[0]);
    // Past its 5 random configurations TPE draws near the best: the last ten average closer to 0.2 than the first five.
    const distance = (ps: Record<string, unknown>[]) => ps.reduce((d, p) => d + Math.abs((p.dropout as number) - 0.2), 0) / ps.length;
    expect(distance(runs[0]!.slice(-10))).toBeLessThan(distance(runs[0]!.slice(0, 5)));
  });

  it('hands out no more than maxConcurrent trials of a sweep while six workers race for leases', async () => {
    await quiet();
    const sweep = await s.user.createSweep({ name: 'capped', template: 'mnist-cnn', parameters: { seed: { values: Array.from({ length: 20 }, (_, i) => i) } }, maxConcurrent: 3, metric });
    const racers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => registerWorker(s, `racer-${i}`)));
    const leased = (await Promise.all(racers.map((r) => r.api.leaseTrial(r.workerId)))).flatMap((l, i) => (l.trial ? [{ trial: l.trial, worker: racers[i]! }] : []));
    expect(leased).toHaveLength(3);
    expect((await s.user.getSweep(sweep.id)).sweep.counts).toMatchObject({ leased: 3, queued: 17 });
    await complete(leased[0]!.worker, leased[0]!.trial.id, 1, 0.5);
    const again = (await Promise.all(racers.map((r) => r.api.leaseTrial(r.workerId)))).filter((l) => l.trial);
    expect(again).toHaveLength(1);
  });

  it('fails past maxFailures with the reason, cancels what is left and tells the worker that held a trial', async () => {
    await quiet();
    const sweep = await s.user.createSweep({ name: 'fragile', template: 'mnist-cnn', parameters: { seed: { values: [0, 1, 2, 3, 4, 5] } }, maxFailures: 1, maxRetries: 0, metric });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((h) => registerWorker(s, `fragile-${h}`)));
    const ta = await leaseFrom(a!, sweep.id);
    const tb = await leaseFrom(b!, sweep.id);
    const tc = await leaseFrom(c!, sweep.id);
    const pushed = await connectWorkerSocket(s, c!);
    try {
      await a!.api.report(ta.id, { type: 'failed', workerId: a!.workerId, error: 'CUDA out of memory', retryable: false });
      expect((await s.user.getSweep(sweep.id)).sweep.status).toBe('running');
      await b!.api.report(tb.id, { type: 'failed', workerId: b!.workerId, error: 'CUDA out of memory', retryable: false });
      const failed = await s.user.getSweep(sweep.id);
      expect(failed.sweep).toMatchObject({ status: 'failed', counts: { failed: 2, cancelled: 4, queued: 0, leased: 0 } });
      expect(failed.sweep.reason).toBe('2 trials failed, more than maxFailures (1); most common error (2 of 2): CUDA out of memory');
      expect(failed.trials.find((t) => t.id === tc.id)?.statusReason).toContain('the sweep failed');
      await expect(complete(c!, tc.id, 1, 0.5)).resolves.toMatchObject({ cancel: true, decision: 'cancel' });
      await new Promise<void>((resolve) => (pushed.orders.length > 0 ? resolve() : pushed.socket.once('trial:stop', () => resolve())));
      expect(pushed.orders).toEqual([{ trialId: tc.id, decision: 'cancel', reason: `the sweep failed: ${failed.sweep.reason}` }]);
      const events = (await s.user.listSweepEvents(sweep.id)).events;
      expect(events.map((e) => [e.action, e.actor])).toEqual([['created', 'someone (127.0.0.1)'], ['failed', 'scheduler']]);
    } finally {
      pushed.socket.disconnect();
    }
  });

  it('fails a sweep whose every trial failed, naming the most common error', async () => {
    await quiet();
    const sweep = await s.user.createSweep({ name: 'doomed', template: 'mnist-cnn', parameters: { seed: { values: [0, 1, 2] } }, maxRetries: 0, metric });
    const errors = ['dataset missing', 'dataset missing', 'NaN loss'];
    for (const error of errors) {
      const t = await leaseFrom(w, sweep.id);
      await w.api.report(t.id, { type: 'failed', workerId: w.workerId, error, retryable: false });
    }
    expect((await s.user.getSweep(sweep.id)).sweep).toMatchObject({ status: 'failed', reason: 'every trial failed; most common error (2 of 3): dataset missing' });
  });

  it('raises maxTrials of a capped grid and of a random sweep, never lowers it, and refuses it once finished', async () => {
    await quiet();
    const grid = await s.user.createSweep({ name: 'capped grid', template: 'mnist-cnn', parameters: { dropout: { values: [0, 0.1, 0.2, 0.3] } }, maxTrials: 2, metric });
    expect(grid.total).toBe(2);
    const raised = await new ApiClient({ baseUrl: s.url, actor: 'ada' }).updateSweep(grid.id, { maxTrials: 10 });
    expect(raised).toMatchObject({ total: 4, counts: { queued: 4 } }); // the grid has 4: a budget beyond it adds nothing more
    expect((await paramsOf(grid.id)).map((p) => p.dropout)).toEqual([0, 0.1, 0.2, 0.3]);
    const lower = await s.user.updateSweep(grid.id, { maxTrials: 3 }).catch((e: unknown) => e as ApiError);
    expect(lower).toMatchObject({ code: 'validation_failed', issues: [{ path: 'maxTrials', message: 'maxTrials may only grow: it is 10 now' }] });
    const events = (await s.user.listSweepEvents(grid.id)).events;
    expect(events.at(-1)).toMatchObject({ action: 'max_trials_raised', actor: 'ada (127.0.0.1)', detail: { maxTrials: { from: 2, to: 10 } } });

    const random = await s.user.createSweep({ name: 'random more', template: 'mnist-cnn', method: 'random', seed: 1, maxTrials: 4, repeats: 2, parameters: { dropout: { uniform: { min: 0, max: 0.5 } } }, metric });
    const odd = await s.user.updateSweep(random.id, { maxTrials: 7 }).catch((e: unknown) => e as ApiError);
    expect(odd).toMatchObject({ code: 'validation_failed', issues: [{ path: 'maxTrials' }] });
    await s.user.cancelSweep(grid.id);
    expect(await runToTheEnd(w, random.id, objective)).toHaveLength(4);
    const finished = await s.user.updateSweep(random.id, { maxTrials: 8 }).catch((e: unknown) => e as ApiError);
    expect(finished).toMatchObject({ code: 'sweep_finished' });
    expect((finished as ApiError).message).toContain('is completed');
  });

  it('the reaper runs a follow-up a crash cut off: a running sweep with nothing open completes', async () => {
    await quiet();
    const sweep = await s.user.createSweep({ name: 'cut off', template: 'mnist-cnn', parameters: { seed: { values: [0] } }, metric });
    await runToTheEnd(w, sweep.id, objective);
    // As if the scheduler had died between the last report and the follow-up that completes the sweep.
    await db.query(`UPDATE sweeps SET status = 'running', finished_at = NULL WHERE id = $1`, [sweep.id]);
    await s.app.get(LeaseReaperService).reap();
    expect((await s.user.getSweep(sweep.id)).sweep.status).toBe('completed');
  });
});
