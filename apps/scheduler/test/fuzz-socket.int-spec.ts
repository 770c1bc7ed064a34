import { ApiErrorBody, LIVE_NAMESPACE, WORKERS_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { FUZZ_SEED, Tally, call, runs, text, value, watchOutput } from './fuzz-support.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type RawEmit = (event: string, ...args: unknown[]) => void;
const EVENTS = ['sweeps:subscribe', 'sweep:subscribe', 'sweep:unsubscribe', 'trial:subscribe', 'trial:unsubscribe'];

describe('fuzz: socket events with any arguments are answered and never stop the server', () => {
  let s: TestScheduler;
  let sweepId: string;
  let socket: LiveClient;
  const output = watchOutput();
  const tally = new Tally();
  const refusals: unknown[] = [];

  async function connect(): Promise<LiveClient> {
    const client: LiveClient = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    client.on('request:error', (e) => refusals.push(e));
    return client;
  }
  /** An ack must come; a missing one fails the case after 10 s instead of hanging the file. */
  function emitWithAck(client: LiveClient, event: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 10_000);
      (client.emit.bind(client) as unknown as RawEmit)(event, ...args, (answer: unknown) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }
  const expectResult = (answer: unknown, what: string) => {
    const r = answer as { ok?: unknown; error?: unknown };
    expect(typeof r.ok, what).toBe('boolean');
    if (r.ok === false) expect(ApiErrorBody.safeParse(r.error).success, `${what}: ${JSON.stringify(r.error)}`).toBe(true);
    const name = what.split(' ')[0]!;
    tally.add(EVENTS.includes(name) || name === 'sentinel' || name === 'bystander' ? name : 'unknown event', r.ok ? 200 : 400);
  };

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    sweepId = (await s.user.createSweep({ name: 'socket fuzz', template: 'mnist-cnn', parameters: {}, metric: { name: 'val_acc', goal: 'maximize' } })).id;
    socket = await connect();
  });
  afterAll(async () => {
    output.stop();
    console.log(`fuzz-socket (seed ${FUZZ_SEED}), acks by outcome (200 ok, 400 refused):\n${tally.toString()}`);
    socket?.close();
    await s?.close();
  });

  const event = fc.oneof(fc.constantFrom(...EVENTS), fc.constantFrom(...EVENTS), text);
  const args = fc.array(fc.oneof(value, fc.uuid(), fc.constant('SWEEP')), { maxLength: 3 });

  it('events with an ack get an answer: the data or an error body', async () => {
    await fc.assert(
      fc.asyncProperty(event, args, async (name, rawArgs) => {
        const filled = rawArgs.map((a) => (a === 'SWEEP' ? sweepId : a));
        expectResult(await emitWithAck(socket, name, filled), `${name} ${JSON.stringify(filled)?.slice(0, 200)}`);
      }),
      runs(500),
    );
  });

  it('events without an ack that are refused get request:error before the next answer', async () => {
    await fc.assert(
      fc.asyncProperty(event, args, async (name, rawArgs) => {
        const before = refusals.length;
        (socket.emit.bind(socket) as unknown as RawEmit)(name, ...rawArgs);
        // The server handles one socket's packets in order; the sentinel's ack comes after any refusal.
        expectResult(await emitWithAck(socket, 'sweeps:subscribe', []), 'sentinel');
        // A subscription needs an ack and an unknown event is always refused; only a valid unsubscribe is silent.
        if (name !== 'sweep:unsubscribe' && name !== 'trial:unsubscribe') expect(refusals.length, `${name} ${JSON.stringify(rawArgs)?.slice(0, 200)}`).toBe(before + 1);
        for (const r of refusals.slice(before)) expect(ApiErrorBody.safeParse(r).success).toBe(true);
      }),
      runs(300),
    );
  });

  it('malformed socket.io packets cost only their own connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('2["sweeps:subscribe"', '2{}', '21abc[]', '9', '0/nope,', '3', '2[1,2]', '5-["x"]')), async (packet) => {
        const victim = await connect();
        // engine.io-level send: the text reaches socket.io's parser as is.
        (victim.io.engine as unknown as { send: (data: string) => void }).send(packet);
        expectResult(await emitWithAck(socket, 'sweeps:subscribe', []), 'bystander');
        victim.close();
      }),
      runs(60),
    );
    expect((await call(`${s.url}/api/health`)).status).toBe(200);
    expect(output.stackTraces()).toEqual([]);
  });

  it('/workers handshakes with any auth are refused with an error body (or, with real credentials, accepted)', async () => {
    const reg = await s.worker.registerWorker({ host: 'fuzz', slots: 1, backends: [] });
    const real = { token: s.config.workerToken, worker: `${reg.workerId}:${reg.workerSecret}` };
    const auth = fc.oneof(value, fc.record({ token: fc.oneof(text, fc.constant(real.token)), worker: fc.oneof(text, value, fc.constant(real.worker)) }), fc.constant(real));
    await fc.assert(
      fc.asyncProperty(auth, async (a) => {
        const what = `/workers auth ${JSON.stringify(a)?.slice(0, 200)}`;
        const client = io(`${s.url}${WORKERS_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: a as Record<string, unknown> });
        const outcome = await new Promise<'connected' | 'closed' | { data: unknown }>((resolve) => {
          client.once('connect', () => resolve('connected'));
          client.once('connect_error', (err: Error & { data?: unknown }) => resolve({ data: err.data }));
          // socket.io's own parser drops a CONNECT packet whose auth is not an object, with the connection.
          // A refusal closes it too, just before connect_error: wait a turn for that.
          client.io.once('close', () => setImmediate(() => resolve('closed')));
        });
        client.close();
        const genuine = JSON.stringify(a) === JSON.stringify(real);
        expect(outcome === 'connected', what).toBe(genuine);
        if (outcome === 'closed') expect(a !== null && typeof a === 'object' && !Array.isArray(a), what).toBe(false);
        if (typeof outcome === 'object') expect(ApiErrorBody.safeParse(outcome.data).success, `${what}: ${JSON.stringify(outcome.data)}`).toBe(true);
        tally.add('/workers handshake', outcome === 'connected' ? 200 : outcome === 'closed' ? 400 : 401);
      }),
      runs(150),
    );
    expect((await call(`${s.url}/api/health`)).status).toBe(200);
    expect(output.stackTraces()).toEqual([]);
  });
});
