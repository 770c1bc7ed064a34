import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type SweepSpecInput } from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exposureWarning, loadSchedulerConfig, startScheduler } from '../src/index.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

const EVIL = 'http://evil.example';
const DASHBOARD = 'http://localhost:3000'; // startTestScheduler's corsOrigins

const spec: SweepSpecInput = {
  name: 'origin',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0] }, epochs: { value: 1 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

type Outcome = { connected: true; sweeps: number } | { connected: false; error: string };

describe('origins: only the dashboard may call from a browser', () => {
  let s: TestScheduler;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    await s.user.createSweep(spec);
  });
  afterAll(async () => s.close());

  /** Connects with `transport` from `origin` and, once in, subscribes to the sweep list. */
  async function trySocket(transport: 'websocket' | 'polling', origin?: string): Promise<Outcome> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${s.url}${LIVE_NAMESPACE}`, {
      transports: [transport],
      forceNew: true,
      reconnection: false,
      extraHeaders: origin ? { Origin: origin } : {},
    });
    try {
      return await new Promise<Outcome>((resolve) => {
        socket.once('connect_error', (err) => resolve({ connected: false, error: err.message }));
        socket.once('connect', () => socket.emit('sweeps:subscribe', (r) => resolve({ connected: true, sweeps: r.ok ? r.data.length : -1 })));
      });
    } finally {
      socket.close();
    }
  }

  it('refuses a socket.io handshake from a foreign origin, over WebSocket and polling', async () => {
    expect(await trySocket('websocket', EVIL)).toMatchObject({ connected: false });
    expect(await trySocket('polling', EVIL)).toMatchObject({ connected: false });
    expect(await trySocket('websocket', 'null')).toMatchObject({ connected: false });
  });

  it('lets the dashboard origin and origin-less clients in', async () => {
    expect(await trySocket('websocket', DASHBOARD)).toEqual({ connected: true, sweeps: 1 });
    expect(await trySocket('polling', DASHBOARD)).toEqual({ connected: true, sweeps: 1 });
    expect(await trySocket('websocket')).toEqual({ connected: true, sweeps: 1 });
  });

  it('answers REST calls from a foreign origin with 403 origin_not_allowed and stores nothing', async () => {
    const before = (await s.user.listSweeps()).sweeps.length;
    const get = await fetch(`${s.url}/api/sweeps`, { headers: { origin: EVIL } });
    expect(get.status).toBe(403);
    const body = (await get.json()) as { code: string; message: string };
    expect(body.code).toBe('origin_not_allowed');
    expect(body.message).toContain('ABLATE_CORS_ORIGINS');
    expect(get.headers.get('access-control-allow-origin')).toBeNull();

    const post = await fetch(`${s.url}/api/sweeps`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify(spec) });
    expect(post.status).toBe(403);
    // A form post needs no preflight, so the check cannot rely on CORS.
    const form = await fetch(`${s.url}/api/sweeps`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'text/plain' }, body: JSON.stringify(spec) });
    expect(form.status).toBe(403);
    expect((await s.user.listSweeps()).sweeps.length).toBe(before);
  });

  it('refuses a CORS preflight from a foreign origin and answers the dashboard one', async () => {
    const preflight = (origin: string) =>
      fetch(`${s.url}/api/sweeps`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const evil = await preflight(EVIL);
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await preflight(DASHBOARD);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    const get = await fetch(`${s.url}/api/sweeps`, { headers: { origin: DASHBOARD } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
  });
});

describe('exposure: listening beyond the loopback is an explicit choice', () => {
  const env = { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db', ABLATE_WORKER_TOKEN: 'x'.repeat(16) };

  it('refuses to start on 0.0.0.0 without ABLATE_ALLOW_REMOTE=true, saying why', async () => {
    const config = loadSchedulerConfig({ ...env, ABLATE_API_HOST: '0.0.0.0', ABLATE_API_PORT: '0' });
    expect(config.allowRemote).toBe(false);
    const err = await startScheduler({ config }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/ABLATE_ALLOW_REMOTE=true/);
    expect((err as Error).message).toMatch(/no authentication/);
  });

  it('warns when remote listening is allowed, and says nothing on the loopback', () => {
    const remote = loadSchedulerConfig({ ...env, ABLATE_API_HOST: '0.0.0.0', ABLATE_ALLOW_REMOTE: 'true' });
    expect(exposureWarning(remote)).toMatch(/^WARNING: the scheduler listens on 0\.0\.0\.0:4000/);
    for (const host of ['127.0.0.1', '::1', 'localhost', '[::1]']) expect(exposureWarning({ host, port: 4000 })).toBeNull();
    expect(() => exposureWarning({ host: '192.168.1.5', port: 4000 })).toThrow(/ABLATE_ALLOW_REMOTE/);
  });

  it('rejects origins that are not origins', () => {
    expect(() => loadSchedulerConfig({ ...env, ABLATE_CORS_ORIGINS: 'http://localhost:3000/app' })).toThrow(/ABLATE_CORS_ORIGINS/);
    expect(loadSchedulerConfig({ ...env, ABLATE_CORS_ORIGINS: 'https://ablate.example.org/, http://localhost:3000' }).corsOrigins).toHaveLength(2);
  });
});
