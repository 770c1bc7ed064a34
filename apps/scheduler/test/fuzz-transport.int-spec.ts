import type { SweepSpecInput } from '@ablate/contracts';
import fc from 'fast-check';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { FUZZ_SEED, Tally, call, expectAnswer, rowCounts, runs, watchOutput } from './fuzz-support.js';

const spec: SweepSpecInput = { name: 'transport', template: 'mnist-cnn', parameters: { dropout: { values: [0] } }, metric: { name: 'val_acc', goal: 'maximize' } };
const CONTENT_TYPES = ['application/json', 'application/vnd.ablate.sweep-archive+json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=bogus', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/*+json', ';;;', ''];
const ENCODINGS = ['', 'identity', 'gzip', 'deflate', 'br', 'bogus', 'gzip, gzip', 'x-compress'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

describe('fuzz: charsets, encodings, content types, methods and headers never make a 500', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let ids: { sweep: string; trial: string; worker: string; secret: string };
  const output = watchOutput();
  const tally = new Tally();

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    const sweep = await s.user.createSweep(spec);
    const reg = await s.worker.registerWorker({ host: 'transport', slots: 1, backends: [] });
    const trial = (await s.user.getSweep(sweep.id)).trials[0]!;
    ids = { sweep: sweep.id, trial: trial.id, worker: reg.workerId, secret: reg.workerSecret };
  });
  afterAll(async () => {
    output.stop();
    console.log(`fuzz-transport (seed ${FUZZ_SEED}), answers by status:\n${tally.toString()}`);
    await db?.end();
    await s?.close();
  });

  const routes = () => ['/api/sweeps', `/api/sweeps/${ids.sweep}`, `/api/sweeps/${ids.sweep}/cancel`, `/api/trials/${ids.trial}/metrics`, `/api/trials/${ids.trial}/reports`, '/api/templates', '/api/health', '/api/workers', `/api/workers/${ids.worker}/heartbeat`, `/api/workers/${ids.worker}/lease`, `/api/sweeps/${ids.sweep}/export`, '/api/sweeps/import', '/api/nope', '/',
    `/api/sweeps/${ids.sweep}/pause`, `/api/sweeps/${ids.sweep}/resume`, `/api/sweeps/${ids.sweep}/stop`, `/api/sweeps/${ids.sweep}/events`, `/api/trials/${ids.trial}/cancel`];
  const json = JSON.stringify({ type: 'epoch', workerId: '', step: 1, metrics: { val_acc: 0.5 } });
  const bodies: fc.Arbitrary<Buffer | undefined> = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(json, JSON.stringify(spec), '{"name":', '{"a":"\\u0000"}', '"just a string"', 'null', '[]', '{}', '\uFEFF{}').map((t) => Buffer.from(t)),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc.constantFrom(json, '{"bad":"\\ud800"}', 'not json').map((t) => gzipSync(t)),
    fc.constant(Buffer.alloc(200_000, 0x20)),
  );
  const headerValue = fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((v) => v.replace(/[^\x20-\x7e]/g, ''));
  const request = fc.record({
    route: fc.nat(), // an index into routes(), taken modulo its length (the ids exist only once the test runs)
    method: fc.constantFrom(...METHODS),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    encoding: fc.constantFrom(...ENCODINGS),
    body: bodies,
    auth: fc.constantFrom('none', 'token', 'token+identity', 'garbage'),
    origin: fc.constantFrom(undefined, undefined, 'http://localhost:3000', 'http://evil.example', 'null'),
    extra: fc.dictionary(fc.constantFrom('x-a', 'x-forwarded-for', 'accept', 'accept-encoding', 'x-http-method-override', 'range'), headerValue, { maxKeys: 3 }),
  });

  it('random requests on every route', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.extra };
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.encoding) headers['content-encoding'] = r.encoding;
        if (r.origin) headers.origin = r.origin;
        if (r.auth !== 'none') headers.authorization = r.auth === 'garbage' ? 'Bearer nope' : `Bearer ${s.config.workerToken}`;
        if (r.auth === 'token+identity') headers['x-ablate-worker'] = `${ids.worker}:${ids.secret}`;
        const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
        const path = routes()[r.route % routes().length]!;
        const what = `${r.method} ${path} ${JSON.stringify(headers)} body=${hasBody ? r.body!.length : 0}B`;
        const before = await rowCounts(db);
        const answer = await call(`${s.url}${path}`, { method: r.method, headers, body: hasBody ? r.body : undefined });
        tally.add(`${r.method}`, answer.status);
        if (r.method === 'HEAD') expect(answer.status, what).toBeLessThan(500);
        else expectAnswer(answer, what);
        if (answer.status >= 400) expect(await rowCounts(db), `${what}: refused but stored`).toEqual(before);
        if (r.origin === 'http://evil.example' || r.origin === 'null') expect(answer.status, what).toBe(403);
      }),
      runs(600),
    );
  });

  it('the issue cases: latin1, a bogus encoding, an oversized body, each without any token', async () => {
    const post = (headers: Record<string, string>, body: string | Buffer = JSON.stringify(spec)) => call(`${s.url}/api/trials/${ids.trial}/reports`, { method: 'POST', headers, body });
    expect((await post({ 'content-type': 'application/json; charset=latin1' })).body).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('UTF-8') as string });
    expect((await post({ 'content-type': 'application/json', 'content-encoding': 'bogus' })).body).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('bogus') as string });
    expect((await post({ 'content-type': 'application/json' }, Buffer.alloc(300_000, 0x20))).body).toMatchObject({ code: 'payload_too_large' });
    expect((await post({ 'content-type': 'application/json' }, '{"a":')).body).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('JSON') as string });
  });

  it('aborted bodies and lying Content-Lengths leave the server serving', async () => {
    const { port } = new URL(s.url);
    for (const [declared, sent] of [[1000, 10], [100_000, 50_000], [5, 5]] as const) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /api/sweeps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n${'{'.repeat(sent)}`);
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
    }
    const health = await call(`${s.url}/api/health`);
    expect(health.status).toBe(200);
  });

  it('logged no stack trace', () => {
    expect(output.stackTraces()).toEqual([]);
  });
});
