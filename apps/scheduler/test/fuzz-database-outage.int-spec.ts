import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type SubscribeResult, type SweepSpecInput, type SweepSummary } from '@ablate/contracts';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toApiError } from '../src/common/to-api-error.js';
import { freePort, startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { call, rowCounts, watchOutput } from './fuzz-support.js';

const spec: SweepSpecInput = { name: 'outage', template: 'mnist-cnn', parameters: {}, metric: { name: 'val_acc', goal: 'maximize' } };

/** The error a real query raises, or a failure when it succeeds. */
async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  return work().then(
    () => expect.fail('expected the query to fail'),
    (err: unknown) => err,
  );
}

describe('database failures: real PostgreSQL errors map to 400 or 503, never a bare 500', () => {
  let s: TestScheduler;
  let admin: pg.Client;
  let database: string;
  const output = watchOutput();

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    database = new URL(s.config.databaseUrl).pathname.slice(1);
    admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
  });
  afterAll(async () => {
    output.stop();
    await admin?.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    await admin?.end();
    await s?.close();
  });

  it('values PostgreSQL cannot hold are 400, a broken connection is 503, a bug is 500 with its stack', async () => {
    const db = s.app.get(DataSource);
    const cases: [string, () => Promise<unknown>, string][] = [
      ['NUL in text (22021)', () => db.query('SELECT $1::text', ['a\u0000b']), 'validation_failed'],
      ['int32 overflow (22003)', () => db.query('SELECT $1::int', [2 ** 31]), 'validation_failed'],
      ['\\u0000 in jsonb (22P05)', () => db.query('SELECT $1::jsonb', ['"\\u0000"']), 'validation_failed'],
      ['not a uuid (22P02)', () => db.query('SELECT $1::uuid', ['nope']), 'validation_failed'],
      ['no such table (42P01), a bug', () => db.query('SELECT * FROM no_such_table'), 'internal'],
    ];
    for (const [what, work, code] of cases) expect(toApiError(await errorOf(work)).error.code, what).toBe(code);

    const refused = new pg.Client({ connectionString: `postgres://x:y@127.0.0.1:${await freePort()}/x` });
    expect(toApiError(await errorOf(() => refused.connect())).error.code, 'ECONNREFUSED').toBe('unavailable');
    const victim = new pg.Client({ connectionString: s.config.databaseUrl });
    await victim.connect();
    victim.on('error', () => undefined);
    expect(toApiError(await errorOf(() => victim.query('SELECT pg_terminate_backend(pg_backend_pid())'))).error.code, '57P01').toBe('unavailable');
    await victim.end().catch(() => undefined);
    expect(toApiError(await errorOf(() => db.query('SELECT * FROM no_such_table'))).log).toBe('stack');
  });

  it('an outage answers 503 unavailable over REST and socket.io, stores nothing, and recovers', async () => {
    await s.user.createSweep(spec);
    const counts = new pg.Client({ connectionString: s.config.databaseUrl });
    await counts.connect();
    const before = await rowCounts(counts);
    await counts.end();
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${s.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    const logged = output.lines().length;

    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
    const post = await call(`${s.url}/api/sweeps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
    expect(post).toMatchObject({ status: 503, body: { code: 'unavailable', message: expect.stringContaining('Retry') as string } });
    expect((await call(`${s.url}/api/sweeps`)).status).toBe(503);
    expect((await call(`${s.url}/api/health`)).status).toBe(503);
    const ack = await new Promise<SubscribeResult<SweepSummary[]>>((resolve) => socket.emit('sweeps:subscribe', resolve));
    expect(ack).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    socket.close();
    const outageLines = output.lines().slice(logged).filter((l) => /unavailable/.test(l));
    expect(outageLines.length, outageLines.join('\n')).toBeGreaterThanOrEqual(4);

    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    expect((await call(`${s.url}/api/health`)).status).toBe(200);
    const after = new pg.Client({ connectionString: s.config.databaseUrl });
    await after.connect();
    expect(await rowCounts(after)).toEqual(before);
    await after.end();
    expect(output.stackTraces()).toEqual([]);
  });
});
