import { SWEEP_ARCHIVE_MEDIA_TYPE, type SweepSpecInput } from '@ablate/contracts';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { FUZZ_SEED, Tally, call, encodeSegment, expectAnswer, mutation, runs, rowCounts, text, value, watchOutput, type Answer } from './fuzz-support.js';

const spec: SweepSpecInput = {
  name: 'fuzz',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.5] }, epochs: { value: 2 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};
const epoch = { type: 'epoch', workerId: '', step: 1, metrics: { val_acc: 0.5, loss: 1 }, backend: 'cpu' };
/** A body sent as written (too deep for JSON.stringify in the test process). */
class Raw {
  constructor(readonly text: string) {}
}
const uuidish = fc.oneof(fc.uuid(), fc.constant('00000000-0000-4000-8000-000000000000'), text);

describe('fuzz: REST routes answer every input with a 2xx or a 4xx error body, and refused writes store nothing', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let worker: { workerId: string; workerSecret: string };
  let trialId = '';
  const output = watchOutput();
  const tally = new Tally();
  const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...headers });
  const workerHeaders = () => json({ authorization: `Bearer ${s.config.workerToken}`, 'x-ablate-worker': `${worker.workerId}:${worker.workerSecret}` });
  const post = (path: string, body: unknown, headers = json()) => call(`${s.url}${path}`, { method: 'POST', headers, body: body instanceof Raw ? body.text : JSON.stringify(body) });

  /** Keeps a trial leased by the fuzzing worker, so reports reach the lease and report checks. */
  async function holdTrial(): Promise<void> {
    const { rows } = await db.query<{ status: string; lease_owner: string | null }>('SELECT status, lease_owner FROM trials WHERE id = $1', [trialId || null]);
    if (rows[0] && ['leased', 'running'].includes(rows[0].status) && rows[0].lease_owner === worker.workerId) return;
    let leased = await post(`/api/workers/${worker.workerId}/lease`, {}, workerHeaders());
    if (!(leased.body as { trial: unknown }).trial) {
      await post('/api/sweeps', spec);
      leased = await post(`/api/workers/${worker.workerId}/lease`, {}, workerHeaders());
    }
    trialId = (leased.body as { trial: { id: string } }).trial.id;
  }
  const trialRow = async () => (await db.query('SELECT status, step, metrics, score, attempt, lease_owner, lease_expires_at, error FROM trials WHERE id = $1', [trialId])).rows[0] as unknown;

  /** Sends one case; a refused one must leave every table (and the held trial) as it was. */
  async function check(group: string, detail: string, send: () => Promise<Answer>, stored: (a: Answer) => Record<string, number> = () => ({})): Promise<void> {
    const what = `${group} ${detail}`;
    const [before, trialBefore] = [await rowCounts(db), await trialRow()];
    const answer = await send();
    tally.add(group, answer.status);
    expectAnswer(answer, what);
    const after = await rowCounts(db);
    if (answer.status >= 400) {
      expect(after, `${what}: a refused call changed rows`).toEqual(before);
      expect(await trialRow(), `${what}: a refused call changed the trial`).toEqual(trialBefore);
    } else {
      for (const [table, n] of Object.entries(stored(answer))) expect(after[table]).toBe(before[table]! + n);
    }
  }

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    worker = await s.worker.registerWorker({ host: 'fuzz', slots: 1, backends: ['cpu'] });
    await holdTrial();
  });
  afterAll(async () => {
    output.stop();
    console.log(`fuzz-rest (seed ${FUZZ_SEED}), answers by status:\n${tally.toString()}`);
    await db?.end();
    await s?.close();
  });

  it('the inputs the issue found', async () => {
    const cases: [string, unknown][] = [
      ['sweep name with NUL', { ...spec, name: 'a\u0000b' }],
      ['sweep name with a lone surrogate', { ...spec, name: '\uD800' }],
      ['a key with NUL', { ...spec, parameters: { 'drop\u0000out': { values: [0] } } }],
      ['deep nesting', new Raw(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)],
      ['deep objects', new Raw(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`)],
    ];
    for (const [what, body] of cases) await check('issue cases', what, () => post('/api/sweeps', body));
    await check('issue cases', 'host with NUL', () => post('/api/workers', { host: 'h\u0000', slots: 1, backends: [] }, workerHeaders()));
    await check('issue cases', 'backend with a lone surrogate', () => post('/api/workers', { host: 'h', slots: 1, backends: ['\uDC00'] }, workerHeaders()));
    for (const report of [
      { ...epoch, metrics: { 'val\u0000acc': 0.5 } },
      { ...epoch, backend: '\uD800' },
      { type: 'failed', workerId: '', error: 'boom\u0000', retryable: true },
      { ...epoch, step: 2 ** 31 },
      { ...epoch, step: 2147483647 },
      { ...epoch, metrics: { val_acc: 1e308 } },
    ]) {
      await check('issue cases', `report ${JSON.stringify(report)}`, () => post(`/api/trials/${trialId}/reports`, { ...report, workerId: worker.workerId }, workerHeaders()));
    }
    expect((await post('/api/sweeps', { ...spec, name: 'a\u0000b' })).body).toMatchObject({ code: 'validation_failed', issues: [{ path: 'name' }] });
  });

  it('POST /api/sweeps with mutated specs and arbitrary values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutation(spec), value), async (body) => {
        await check('POST /api/sweeps', JSON.stringify(body)?.slice(0, 200) ?? 'undefined', () => post('/api/sweeps', body), (a) => ({ sweeps: 1, trials: (a.body as { total: number }).total }));
      }),
      runs(300),
    );
  });

  it('POST /api/sweeps/import with mutated archives and arbitrary values, as an archive or as JSON', async () => {
    const sweep = await s.user.createSweep({ ...spec, name: 'archived' });
    const archive = (await call(`${s.url}/api/sweeps/${sweep.id}/export`)).body;
    const contentType = fc.constantFrom(SWEEP_ARCHIVE_MEDIA_TYPE, 'application/json');
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutation(archive), mutation(archive), value), contentType, async (body, type) => {
        await check('POST /api/sweeps/import', `${type} ${JSON.stringify(body)?.slice(0, 200)}`, () => post('/api/sweeps/import', body, json({ 'content-type': type })), (a) => ({ sweeps: 1, trials: (a.body as { total: number }).total }));
      }),
      runs(200),
    );
  });

  it('ids in every route path', async () => {
    const routes = [
      ...['GET /api/sweeps/:id', 'GET /api/sweeps/:id/leaderboard', 'GET /api/sweeps/:id/export', 'POST /api/sweeps/:id/cancel', 'GET /api/trials/:id/metrics', 'POST /api/workers/:id/heartbeat', 'POST /api/workers/:id/lease', 'POST /api/trials/:id/reports'],
      ...['POST /api/sweeps/:id/pause', 'POST /api/sweeps/:id/resume', 'POST /api/sweeps/:id/stop', 'PATCH /api/sweeps/:id', 'GET /api/sweeps/:id/events', 'POST /api/trials/:id/cancel', 'GET /api/trials/:id/logs', 'POST /api/trials/:id/logs'],
      ...['PUT /api/trials/:id/checkpoint', 'GET /api/trials/:id/checkpoint', 'DELETE /api/trials/:id/checkpoint', 'GET /api/trials/:id/checkpoint/download'],
      'GET /api/docs/:id',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), uuidish, async (route, id) => {
        const [method, path] = route.split(' ') as [string, string];
        const url = `${s.url}${path.replace(':id', encodeSegment(id))}`;
        await check(route, `id=${JSON.stringify(id).slice(0, 100)}`, () => call(url, { method, headers: workerHeaders(), body: method === 'GET' ? undefined : JSON.stringify({ ...epoch, workerId: worker.workerId }) }));
      }),
      runs(300),
    );
  });

  it('worker routes with mutated registrations, heartbeats and reports', async () => {
    const register = { host: 'fuzz', slots: 1, backends: ['cpu'] };
    const failed = { type: 'failed', workerId: '', error: 'x', retryable: true };
    const bodies = fc.oneof(
      fc.tuple(fc.constant('register'), fc.oneof(mutation(register), value)),
      fc.tuple(fc.constant('heartbeat'), fc.oneof(mutation({ trialIds: ['00000000-0000-4000-8000-000000000000'] }), value)),
      fc.tuple(fc.constant('report'), fc.oneof(mutation(epoch), mutation(failed), value)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ([route, body]) => {
        await holdTrial();
        const named = route === 'report' && body !== null && typeof body === 'object' && !Array.isArray(body) && (body as { workerId?: unknown }).workerId === '' ? { ...body, workerId: worker.workerId } : body;
        const path = route === 'register' ? '/api/workers' : route === 'heartbeat' ? `/api/workers/${worker.workerId}/heartbeat` : `/api/trials/${trialId}/reports`;
        await check(`worker ${route}`, JSON.stringify(named)?.slice(0, 200) ?? 'undefined', () => post(path, named, workerHeaders()), (): Record<string, number> => (route === 'register' ? { workers: 1 } : {}));
      }),
      runs(400),
    );
  });

  it('GET /api/sweeps/:id/leaderboard and /api/sweeps/:id?top= with arbitrary query strings', async () => {
    const sweep = (await post('/api/sweeps', spec)).body as { id: string };
    // encodeURIComponent refuses lone surrogates; encodeSegment writes their (invalid) UTF-8 bytes.
    const encode = (x: string) => {
      try {
        return encodeURIComponent(x);
      } catch {
        return encodeSegment(x);
      }
    };
    const keys = fc.oneof(fc.constantFrom('offset', 'limit', 'sort', 'status', 'group', 'config', 'top'), text);
    const known = ['rank', 'index', 'status', 'updated', 'metric:val_acc', 'metric:', 'config', 'trial', 'running,completed', ',', '[["dropout",0]]', '[["seed",1]]', '-1', '1001', '1e3', '0x10'];
    const values = fc.oneof(text, fc.double().map(String), fc.constantFrom(...known));
    const query = fc.array(fc.tuple(keys, values), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('leaderboard', 'detail'), query, async (route, pairs) => {
        const search = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
        const path = route === 'leaderboard' ? `/api/sweeps/${sweep.id}/leaderboard?${search}` : `/api/sweeps/${sweep.id}?${search}`;
        await check(`GET ${route} query`, search.slice(0, 200), () => call(`${s.url}${path}`));
      }),
      runs(300),
    );
  });

  it('still serves, and logged no stack trace', async () => {
    expect((await call(`${s.url}/api/health`)).status).toBe(200);
    expect(output.stackTraces()).toEqual([]);
  });
});
