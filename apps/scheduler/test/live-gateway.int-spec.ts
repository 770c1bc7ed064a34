import { LIVE_NAMESPACE, type ApiErrorBody, type ClientToServerEvents, type ServerToClientEvents, type SweepSpecInput } from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type Refusal = ApiErrorBody & { event: string };
/** An untyped view of the client, to send what a hostile or buggy client would. */
type RawEmit = (event: string, ...args: unknown[]) => void;

const spec: SweepSpecInput = {
  name: 'live gateway',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.5] }, epochs: { value: 1 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

const NO_ANSWER_MS = 10_000;

function answered<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${NO_ANSWER_MS} ms`)), NO_ANSWER_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('live gateway: malformed socket calls are answered, never fatal', () => {
  let s: TestScheduler;
  const sockets: LiveClient[] = [];

  async function connect(): Promise<LiveClient> {
    const socket: LiveClient = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }
  const raw = (socket: LiveClient): RawEmit => socket.emit.bind(socket) as unknown as RawEmit;
  // An unanswered call is the defect under test; fail it fast rather than waiting out the test timeout.
  const nextRefusal = (socket: LiveClient) => answered(new Promise<Refusal>((resolve) => socket.once('request:error', resolve)), 'request:error');
  const ackOf = (socket: LiveClient, event: string, ...args: unknown[]) =>
    answered(new Promise<{ ok: boolean; data?: unknown; error?: ApiErrorBody }>((resolve) => raw(socket)(event, ...args, resolve)), event);

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => s.close());

  it('the issue repro: sweeps:subscribe without an ack, or with a string, gets request:error and the server keeps serving', async () => {
    const socket = await connect();
    let refused = nextRefusal(socket);
    raw(socket)('sweeps:subscribe');
    expect(await refused).toMatchObject({ code: 'validation_failed', event: 'sweeps:subscribe', message: expect.stringContaining('acknowledgement') as string });
    refused = nextRefusal(socket);
    raw(socket)('sweeps:subscribe', 'not an ack');
    expect(await refused).toMatchObject({ code: 'validation_failed', event: 'sweeps:subscribe', issues: [expect.objectContaining({ path: 'args' })] });

    const created = await s.user.createSweep(spec);
    expect((await s.user.listSweeps()).sweeps.map((x) => x.id)).toContain(created.id);
    const fresh = await connect();
    const list = await ackOf(fresh, 'sweeps:subscribe');
    expect(list.ok).toBe(true);
    expect((list.data as { id: string }[]).map((x) => x.id)).toContain(created.id);
    // The first socket is still connected and served too.
    expect((await ackOf(socket, 'sweeps:subscribe')).ok).toBe(true);
  });

  it('refuses wrong payloads in the ack, naming the argument', async () => {
    const socket = await connect();
    const cases: [string, unknown[], string][] = [
      ['sweep:subscribe', [42], 'args.0'],
      ['sweep:subscribe', ['not-a-uuid'], 'args.0'],
      ['sweep:subscribe', [{ id: 'x' }], 'args.0'],
      ['sweep:subscribe', [], 'args'],
      ['sweep:subscribe', ['00000000-0000-4000-8000-000000000000', 'extra'], 'args'],
      ['sweeps:subscribe', [null], 'args'],
      ['sweep:unsubscribe', [[1, 2]], 'args.0'],
    ];
    for (const [event, args, path] of cases) {
      const answer = await ackOf(socket, event, ...args);
      expect(answer.ok, `${event} ${JSON.stringify(args)}`).toBe(false);
      expect(answer.error?.code).toBe('validation_failed');
      expect(answer.error?.issues?.map((i) => i.path)).toContain(path);
    }
  });

  it('answers unknown events, a missing sweep and a 900 kB id without echoing it back', async () => {
    const socket = await connect();
    expect((await ackOf(socket, 'sweeps:delete-all')).error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('Unknown event') as string });
    const refused = nextRefusal(socket);
    raw(socket)('no-such-event', 1, 2, 3);
    expect(await refused).toMatchObject({ code: 'validation_failed', event: 'no-such-event' });
    expect((await ackOf(socket, 'sweep:subscribe', '00000000-0000-4000-8000-000000000000')).error?.code).toBe('sweep_not_found');

    const huge = 'x'.repeat(900_000);
    const answer = await ackOf(socket, 'sweep:subscribe', huge);
    expect(answer.error?.code).toBe('validation_failed');
    expect(JSON.stringify(answer).length).toBeLessThan(1000);
    const hugeEvent = nextRefusal(socket);
    raw(socket)(huge);
    expect((await hugeEvent).event.length).toBeLessThan(200);
    const unsubscribe = nextRefusal(socket);
    raw(socket)('sweep:unsubscribe');
    expect(await unsubscribe).toMatchObject({ code: 'validation_failed', event: 'sweep:unsubscribe' });
  });

  it('keeps the subscription behaviour: the ack carries the leaderboard, then changes are pushed', async () => {
    const created = await s.user.createSweep({ ...spec, name: 'pushed' });
    const socket = await connect();
    const snapshot = await ackOf(socket, 'sweep:subscribe', created.id);
    expect(snapshot.ok).toBe(true);
    expect((snapshot.data as { trials: unknown[] }).trials).toHaveLength(2);
    const pushed = new Promise<string>((resolve) => socket.on('sweep:updated', (sweep) => sweep.id === created.id && resolve(sweep.status)));
    await s.user.cancelSweep(created.id);
    expect(await pushed).toBe('cancelled');
    expect((await ackOf(socket, 'sweep:unsubscribe', created.id)).ok).toBe(true);
  });
});
