import { ApiClient, ApiError, LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type SweepEvent, type SweepSpecInput } from '@ablate/contracts';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';
import { complete, connectWorkerSocket, epoch, leaseFrom, recount, type WorkerSocket } from './sweep-driver.js';

const metric = { name: 'val_acc', goal: 'maximize' } as const;
const grid = (name: string, n: number): SweepSpecInput => ({ name, template: 'mnist-cnn', parameters: { seed: { values: Array.from({ length: n }, (_, i) => i) } }, metric });

/** The next stop order pushed to a worker's socket. */
const nextOrder = (ws: WorkerSocket) => new Promise((resolve) => (ws.orders.length > 0 ? resolve(ws.orders.shift()) : ws.socket.once('trial:stop', () => resolve(ws.orders.shift()))));

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('steering a running sweep: pause, resume, stop, cancel, cancel one trial, with who and when', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let w: RegisteredWorker;
  const as = (actor: string) => new ApiClient({ baseUrl: s.url, actor });
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    w = await registerWorker(s, 'steered');
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  async function quiet(): Promise<void> {
    for (const x of (await s.user.listSweeps()).sweeps) if (['queued', 'running', 'paused', 'stopping'].includes(x.status)) await s.user.cancelSweep(x.id);
  }
  const actions = async (id: string) => (await s.user.listSweepEvents(id)).events.map((e) => `${e.action} by ${e.actor}`);

  it('pause: no new leases while its running trial goes on; resume leases again; both recorded and pushed as sweep:event', async () => {
    await quiet();
    const sweep = await as('alice').createSweep(grid('pausable', 3));
    expect(sweep.launchedBy).toBe('alice (127.0.0.1)');
    const live: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    const pushed: SweepEvent[] = [];
    live.on('sweep:event', (e) => pushed.push(e));
    try {
      await new Promise((resolve) => live.emit('sweep:subscribe', sweep.id, resolve));
      const t0 = await leaseFrom(w, sweep.id);
      await epoch(w, t0.id, 1, 0.3);
      const paused = await as('bob').pauseSweep(sweep.id);
      expect(paused).toMatchObject({ status: 'paused', reason: 'paused by bob (127.0.0.1)' });
      expect((await w.api.leaseTrial(w.workerId)).trial).toBeNull();
      await expect(epoch(w, t0.id, 2, 0.4)).resolves.toMatchObject({ decision: 'continue' });
      await expect(as('bob').pauseSweep(sweep.id)).resolves.toMatchObject({ status: 'paused' }); // already so: nothing recorded
      await expect(as('carol').resumeSweep(sweep.id)).resolves.toMatchObject({ status: 'running', reason: null });
      expect(await leaseFrom(w, sweep.id)).toMatchObject({ sweepId: sweep.id });
      expect(await actions(sweep.id)).toEqual(['created by alice (127.0.0.1)', 'paused by bob (127.0.0.1)', 'resumed by carol (127.0.0.1)']);
      await new Promise<void>((resolve) => (pushed.length >= 2 ? resolve() : live.on('sweep:event', () => pushed.length >= 2 && resolve())));
      expect(pushed.map((e) => e.action)).toEqual(['paused', 'resumed']);
    } finally {
      live.close();
    }
  });

  it('stop: queued trials are cancelled with the reason, running ones finish, then the sweep completes "stopped by"', async () => {
    await quiet();
    const sweep = await s.user.createSweep(grid('stoppable', 4));
    const running = await leaseFrom(w, sweep.id);
    await epoch(w, running.id, 1, 0.5);
    const leased = await leaseFrom(w, sweep.id);
    const stopping = await as('dave').stopSweep(sweep.id);
    expect(stopping).toMatchObject({ status: 'stopping', reason: 'stopped by dave (127.0.0.1)', counts: { queued: 0, cancelled: 2, running: 1, leased: 1 } });
    const detail = await s.user.getSweep(sweep.id);
    expect(detail.trials.filter((t) => t.status === 'cancelled').map((t) => t.statusReason)).toEqual([
      'not run: the sweep is stopping (stopped by dave (127.0.0.1))',
      'not run: the sweep is stopping (stopped by dave (127.0.0.1))',
    ]);
    expect((await w.api.leaseTrial(w.workerId)).trial).toBeNull();
    await expect(as('dave').stopSweep(sweep.id)).resolves.toMatchObject({ status: 'stopping' });
    await complete(w, running.id, 2, 0.6);
    expect((await s.user.getSweep(sweep.id)).sweep.status).toBe('stopping');
    // A worker that hands its trial back while the sweep stops: it is not run again.
    await w.api.report(leased.id, { type: 'released', workerId: w.workerId, reason: 'shutting down' });
    const done = await s.user.getSweep(sweep.id);
    expect(done.sweep).toMatchObject({ status: 'completed', reason: 'stopped by dave (127.0.0.1)', counts: { completed: 1, cancelled: 3 } });
    expect(done.sweep.counts).toEqual(await recount(db, sweep.id));
    expect(await actions(sweep.id)).toEqual(['created by someone (127.0.0.1)', 'stopped by dave (127.0.0.1)', 'completed by scheduler']);
  });

  it('cancel: every unfinished trial is cancelled now and the worker holding one is told at once', async () => {
    await quiet();
    const sweep = await s.user.createSweep(grid('cancellable', 3));
    const ws = await connectWorkerSocket(s, w);
    try {
      const t = await leaseFrom(w, sweep.id);
      await epoch(w, t.id, 1, 0.5);
      const cancelled = await as('erin').cancelSweep(sweep.id);
      expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'cancelled by erin (127.0.0.1)', counts: { cancelled: 3 } });
      expect(await nextOrder(ws)).toEqual({ trialId: t.id, decision: 'cancel', reason: 'cancelled by erin (127.0.0.1)' });
      await expect(epoch(w, t.id, 2, 0.6)).resolves.toMatchObject({ cancel: true, decision: 'cancel', reason: 'cancelled by erin (127.0.0.1)' });
    } finally {
      ws.socket.disconnect();
    }
  });

  it('cancel one trial: its worker is told at once, the event names it, and the sweep goes on', async () => {
    await quiet();
    const sweep = await s.user.createSweep(grid('one of them', 2));
    const ws = await connectWorkerSocket(s, w);
    try {
      const t = await leaseFrom(w, sweep.id);
      await epoch(w, t.id, 1, 0.5);
      const trial = await as('frank').cancelTrial(t.id);
      expect(trial).toMatchObject({ id: t.id, status: 'cancelled', statusReason: 'cancelled by frank (127.0.0.1)' });
      expect(await nextOrder(ws)).toEqual({ trialId: t.id, decision: 'cancel', reason: 'cancelled by frank (127.0.0.1)' });
      const events = (await s.user.listSweepEvents(sweep.id)).events;
      expect(events.at(-1)).toMatchObject({ action: 'trial_cancelled', trialId: t.id, actor: 'frank (127.0.0.1)' });
      expect((await refusal(s.user.cancelTrial(t.id))).code).toBe('trial_finished');
      const other = await leaseFrom(w, sweep.id);
      await complete(w, other.id, 1, 0.7);
      expect((await s.user.getSweep(sweep.id)).sweep).toMatchObject({ status: 'completed', counts: { completed: 1, cancelled: 1 } });
    } finally {
      ws.socket.disconnect();
    }
  });

  it('answers a steering call on a finished sweep with 409 and its status, and a stopping sweep refuses pause, resume and a budget', async () => {
    await quiet();
    const done = await s.user.createSweep(grid('finished', 1));
    await complete(w, (await leaseFrom(w, done.id)).id, 1, 0.5);
    const cancelled = await s.user.createSweep(grid('cancelled', 1));
    await s.user.cancelSweep(cancelled.id);
    for (const [sweep, status] of [[done, 'completed'], [cancelled, 'cancelled']] as const) {
      const calls = [() => s.user.pauseSweep(sweep.id), () => s.user.resumeSweep(sweep.id), () => s.user.stopSweep(sweep.id), () => s.user.cancelSweep(sweep.id), () => s.user.updateSweep(sweep.id, { maxTrials: 5 })];
      for (const call of calls) {
        const err = await refusal(call());
        expect(err.code).toBe('sweep_finished');
        expect(err.status).toBe(409);
        expect(err.message).toContain(`is ${status}`);
      }
    }
    const stopping = await s.user.createSweep(grid('stopping', 2));
    await leaseFrom(w, stopping.id);
    await s.user.stopSweep(stopping.id);
    for (const call of [() => s.user.pauseSweep(stopping.id), () => s.user.resumeSweep(stopping.id), () => s.user.updateSweep(stopping.id, { maxTrials: 5 })]) {
      expect(await refusal(call())).toMatchObject({ code: 'sweep_finished', message: expect.stringContaining('is stopping') as string });
    }
    await expect(s.user.cancelSweep(stopping.id)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('bad input: unknown or malformed ids are 404, bodies 400 naming the field, and a hostile actor is recorded printable and bounded', async () => {
    await quiet();
    const missing = '00000000-0000-4000-8000-000000000000';
    const calls = [() => s.user.pauseSweep(missing), () => s.user.resumeSweep('not-a-uuid'), () => s.user.stopSweep(missing), () => s.user.listSweepEvents('x'.repeat(5000)), () => s.user.updateSweep(missing, { maxTrials: 5 })];
    for (const call of calls) {
      expect((await refusal(call())).code).toBe('sweep_not_found');
    }
    expect((await refusal(s.user.cancelTrial(missing))).code).toBe('trial_not_found');
    expect((await refusal(s.user.cancelTrial('%00'))).code).toBe('trial_not_found');
    const sweep = await s.user.createSweep(grid('bad input', 2));
    for (const [body, path] of [[{}, 'maxTrials'], [{ maxTrials: 0 }, 'maxTrials'], [{ maxTrials: 'many' }, 'maxTrials'], [{ maxTrials: 10_001 }, 'maxTrials'], [{ maxTrials: 5, name: 'x' }, '(root)']] as const) {
      const res = await fetch(`${s.url}/api/sweeps/${sweep.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    }
    const hostile = `${encodeURIComponent('mallory\n[scheduler] completed\u0000')}${'x'.repeat(300)}`;
    await fetch(`${s.url}/api/sweeps/${sweep.id}/pause`, { method: 'POST', headers: { 'x-ablate-actor': hostile } });
    const actor = (await s.user.listSweepEvents(sweep.id)).events.at(-1)!.actor;
    expect(actor).toMatch(/^mallory \[scheduler\] completed x+ \(127\.0\.0\.1\)$/);
    expect(actor.length).toBe(100 + ' (127.0.0.1)'.length);
  });
});
