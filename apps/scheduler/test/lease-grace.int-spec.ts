import { ApiClient, type SweepSummary } from '@ablate/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startScheduler } from '../src/bootstrap.js';
import { ManualClock } from '../src/common/clock.js';
import { LeaseReaperService } from '../src/modules/trials/lease-reaper.service.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

// Long enough that the reaper's own timer (every TTL/4 of real time) never fires during the test:
// only reap() calls expire leases, at the manual clock's time.
const TTL = 600_000;

describe('leases: heartbeats, grace after outages, silent workers', () => {
  let s: TestScheduler;
  const clock = new ManualClock();
  const reaper = () => s.app.get(LeaseReaperService);
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'), { clock, leaseTtlMs: TTL });
  });
  afterAll(async () => s.close());

  /** A sweep of `n` trials, with every older sweep cancelled so leases come from this one. */
  async function freshSweep(name: string, n: number): Promise<SweepSummary> {
    // A finished sweep cannot be cancelled (409): cancel the unfinished ones.
    for (const old of (await s.user.listSweeps()).sweeps) if (!['completed', 'failed', 'cancelled'].includes(old.status)) await s.user.cancelSweep(old.id);
    return s.user.createSweep({
      name,
      template: 'mnist-cnn',
      parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } },
      metric: { name: 'val_acc', goal: 'maximize' },
      maxRetries: 3,
    });
  }

  async function trialOf(sweepId: string, trialId: string) {
    return (await s.user.getSweep(sweepId)).trials.find((t) => t.id === trialId)!;
  }

  it('a heartbeat renews only the trials the agent lists, and names the listed ones it must stop', async () => {
    const sweep = await freshSweep('heartbeat', 3);
    const w = await registerWorker(s, 'two-slots');
    const other = await registerWorker(s, 'other');
    const [kept, dropped] = [
      (await w.api.leaseTrial(w.workerId)).trial!,
      (await w.api.leaseTrial(w.workerId)).trial!,
    ];
    const foreign = (await other.api.leaseTrial(other.workerId)).trial!;
    clock.advance(TTL * 0.9);
    const beat = await w.api.heartbeat(w.workerId, { trialIds: [kept.id, foreign.id, kept.id] });
    expect(beat.renewed).toEqual([kept.id]);
    expect(beat.stop).toEqual([foreign.id]);
    expect(new Date(beat.leaseExpiresAt).getTime()).toBe(clock.now().getTime() + TTL);

    clock.advance(TTL * 0.2); // past the first lease's end: only the listed trial was renewed
    await other.api.heartbeat(other.workerId, { trialIds: [foreign.id] });
    expect(await reaper().reap()).toBe(1);
    expect(await trialOf(sweep.id, dropped.id)).toMatchObject({ status: 'queued', attempt: 2 });
    expect(await trialOf(sweep.id, kept.id)).toMatchObject({ status: 'leased', attempt: 1 });

    await w.api.report(kept.id, {
      type: 'completed',
      workerId: w.workerId,
      step: 1,
      metrics: { val_acc: 0.5 },
    });
    expect((await w.api.heartbeat(w.workerId, { trialIds: [kept.id] })).stop).toEqual([kept.id]);
  });

  it('after a scheduler restart, a trial whose lease ran out meanwhile keeps attempt 1 if its worker reports within a TTL; a dead worker is reaped one TTL later', async () => {
    const sweep = await freshSweep('restart', 2);
    const alive = await registerWorker(s, 'alive');
    const dead = await registerWorker(s, 'dead');
    const mine = (await alive.api.leaseTrial(alive.workerId)).trial!;
    const lost = (await dead.api.leaseTrial(dead.workerId)).trial!;
    await alive.api.report(mine.id, {
      type: 'epoch',
      workerId: alive.workerId,
      step: 1,
      metrics: { val_acc: 0.3 },
    });

    await s.app.close(); // the scheduler is down for three TTLs: nobody can heartbeat
    clock.advance(TTL * 3);
    const { app, url } = await startScheduler({ config: s.config, clock }, ['error']);
    const user = new ApiClient({ baseUrl: url });
    s = {
      ...s,
      app,
      url,
      user,
      worker: new ApiClient({ baseUrl: url, token: s.config.workerToken }),
      close: () => app.close(),
    };
    const restarted = (w: RegisteredWorker) =>
      new ApiClient({ baseUrl: url, token: s.config.workerToken, worker: w });
    expect(await reaper().reap()).toBe(0); // the start extended every live lease by a TTL

    clock.advance(TTL * 0.5);
    await restarted(alive).report(mine.id, {
      type: 'epoch',
      workerId: alive.workerId,
      step: 2,
      metrics: { val_acc: 0.4 },
    });
    clock.advance(TTL * 0.6);
    expect(await reaper().reap()).toBe(1);
    const trials = (await user.getSweep(sweep.id)).trials;
    expect(trials.find((t) => t.id === mine.id)).toMatchObject({ status: 'running', attempt: 1, step: 2 });
    expect(trials.find((t) => t.id === lost.id)).toMatchObject({ status: 'queued', attempt: 2 });
  });

  it('after a PostgreSQL outage, the first pass that succeeds extends leases instead of expiring them', async () => {
    const sweep = await freshSweep('database outage', 2);
    const alive = await registerWorker(s, 'alive');
    const dead = await registerWorker(s, 'dead');
    const mine = (await alive.api.leaseTrial(alive.workerId)).trial!;
    const lost = (await dead.api.leaseTrial(dead.workerId)).trial!;

    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    const database = new URL(s.config.databaseUrl).pathname.slice(1);
    try {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      await expect(reaper().reap()).rejects.toThrow();
      clock.advance(TTL * 2); // the outage outlasts every lease
    } finally {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect(await reaper().reap()).toBe(0);
    clock.advance(TTL * 0.5);
    await alive.api.heartbeat(alive.workerId, { trialIds: [mine.id] });
    clock.advance(TTL * 0.6);
    expect(await reaper().reap()).toBe(1);
    expect(await trialOf(sweep.id, mine.id)).toMatchObject({ status: 'leased', attempt: 1 });
    expect(await trialOf(sweep.id, lost.id)).toMatchObject({ status: 'queued', attempt: 2 });
  });

  it('removes workers silent for max(10 × TTL, 10 min) once they hold no lease; they get 404 and register again', async () => {
    await freshSweep('silent workers', 1);
    const silent = await registerWorker(s, 'silent');
    const holder = await registerWorker(s, 'holder');
    const live = await registerWorker(s, 'live');
    await holder.api.leaseTrial(holder.workerId);
    for (let i = 0; i < 10; i++) {
      clock.advance(TTL);
      await live.api.heartbeat(live.workerId, { trialIds: [] });
    }
    clock.advance(1000);
    await reaper().reap(); // expires the holder's lease, then removes both silent workers
    for (const w of [silent, holder]) {
      await expect(w.api.heartbeat(w.workerId, { trialIds: [] })).rejects.toMatchObject({
        code: 'worker_not_found',
      });
    }
    await expect(live.api.leaseTrial(live.workerId)).resolves.toMatchObject({ trial: { attempt: 2 } });
    const again = await registerWorker(s, 'silent');
    await expect(again.api.heartbeat(again.workerId, { trialIds: [] })).resolves.toMatchObject({
      renewed: [],
    });
  });
});
