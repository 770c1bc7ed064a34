import {
  WORKERS_NAMESPACE,
  type ApiErrorBody,
  type TrialStopOrder,
  type WorkerClientToServerEvents,
  type WorkerServerToClientEvents,
} from '@ablate/contracts';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkerPushPublisher } from '../src/modules/worker-push/worker-push.publisher.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

type WorkerSocket = Socket<WorkerServerToClientEvents, WorkerClientToServerEvents>;
type Outcome = { connected: true } | { connected: false; message: string; data: ApiErrorBody | undefined };
type RawEmit = (event: string, ...args: unknown[]) => void;

describe('/workers push channel: authenticated like worker REST calls, one room per worker', () => {
  let s: TestScheduler;
  let publisher: WorkerPushPublisher;
  const sockets: WorkerSocket[] = [];

  function open(auth: unknown, extra: Partial<ManagerOptions & SocketOptions> = {}): WorkerSocket {
    const socket: WorkerSocket = io(`${s.url}${WORKERS_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: auth as Record<string, unknown>,
      ...extra,
    });
    sockets.push(socket);
    return socket;
  }
  function outcome(socket: WorkerSocket): Promise<Outcome> {
    return new Promise((resolve) => {
      // Awaited one socket after another: a later socket may have connected already.
      if (socket.connected) return resolve({ connected: true });
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (err: Error & { data?: ApiErrorBody }) =>
        resolve({ connected: false, message: err.message, data: err.data }),
      );
    });
  }
  const as = (w: RegisteredWorker, token = s.config.workerToken) => ({
    token,
    worker: `${w.workerId}:${w.workerSecret}`,
  });
  const nextOrder = (socket: WorkerSocket) =>
    new Promise<TrialStopOrder>((resolve) => socket.once('trial:stop', resolve));

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    publisher = s.app.get(WorkerPushPublisher);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => s.close());

  it('delivers trial:stop to every socket of the named worker and to no other worker', async () => {
    const [a, b] = [await registerWorker(s, 'node-a'), await registerWorker(s, 'node-b')];
    const a1 = open(as(a));
    const a2 = open(as(a));
    const b1 = open(as(b));
    for (const socket of [a1, a2, b1]) expect(await outcome(socket)).toEqual({ connected: true });
    const toB: TrialStopOrder[] = [];
    b1.on('trial:stop', (o) => toB.push(o));

    const order: TrialStopOrder = {
      trialId: 'trial-1',
      decision: 'prune',
      reason: 'below the median of 5 trials at step 3',
    };
    const received = Promise.all([nextOrder(a1), nextOrder(a2)]);
    publisher.stopTrial(a.workerId, order);
    expect(await received).toEqual([order, order]);

    // An order for b after a's proves b's socket works; anything for a before it would have come first.
    const forB = nextOrder(b1);
    publisher.stopTrial(b.workerId, { ...order, trialId: 'trial-2', decision: 'cancel' });
    await forB;
    expect(toB.map((o) => o.trialId)).toEqual(['trial-2']);
  });

  it('refuses a wrong pool token, a wrong secret, an unknown worker, a missing or malformed auth, with the API error in connect_error.data', async () => {
    const w = await registerWorker(s, 'node-c');
    const cases: [unknown, string][] = [
      [as(w, 'not-the-pool-token-at-all'), 'unauthorized'],
      [{ ...as(w), worker: `${w.workerId}:wrong-secret` }, 'unauthorized'],
      [{ ...as(w), worker: `00000000-0000-4000-8000-000000000000:${w.workerSecret}` }, 'worker_not_found'],
      [undefined, 'unauthorized'],
      [{ token: 42, worker: ['x'] }, 'unauthorized'],
      [{ token: s.config.workerToken, worker: 'x'.repeat(100_000) }, 'unauthorized'],
      [{ token: s.config.workerToken, worker: '\u0000:\ud800' }, 'unauthorized'],
    ];
    for (const [auth, code] of cases) {
      const result = await outcome(open(auth));
      expect(result, JSON.stringify(auth)?.slice(0, 80)).toMatchObject({ connected: false, data: { code } });
      if (!result.connected) expect(result.message).toMatch(/token|worker|register/i);
    }
    // The scheduler still serves the worker that proves itself.
    expect(await outcome(open(as(w)))).toEqual({ connected: true });
  });

  it('refuses browsers, even from the dashboard origin: workers send no Origin', async () => {
    const w = await registerWorker(s, 'node-d');
    const fromPage = await outcome(open(as(w), { extraHeaders: { origin: 'http://localhost:3000' } }));
    expect(fromPage).toMatchObject({ connected: false, data: { code: 'origin_not_allowed' } });
    const foreign = await outcome(open(as(w), { extraHeaders: { origin: 'https://evil.example' } }));
    expect(foreign.connected).toBe(false);
  });

  it('ignores whatever a worker sends on the channel, and keeps delivering', async () => {
    const w = await registerWorker(s, 'node-e');
    const socket = open(as(w));
    expect(await outcome(socket)).toEqual({ connected: true });
    const raw = socket.emit.bind(socket) as unknown as RawEmit;
    raw('trial:stop', { trialId: 'x' });
    raw('sweeps:subscribe', () => undefined);
    raw('__proto__', null, 1e308, '\u0000');
    const order: TrialStopOrder = {
      trialId: 'trial-3',
      decision: 'pause',
      reason: 'below the cut of rung 1',
    };
    const received = nextOrder(socket);
    publisher.stopTrial(w.workerId, order);
    expect(await received).toEqual(order);
    expect(socket.connected).toBe(true);
  });

  it('is a no-op for a worker with no socket', () => {
    expect(() =>
      publisher.stopTrial('00000000-0000-4000-8000-000000000009', {
        trialId: 't',
        decision: 'cancel',
        reason: 'r',
      }),
    ).not.toThrow();
  });
});
