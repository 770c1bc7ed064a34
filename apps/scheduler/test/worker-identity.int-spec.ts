import { ApiError, WORKER_IDENTITY_HEADER, type SweepSpecInput } from '@ablate/contracts';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';

const spec: SweepSpecInput = {
  name: 'identity',
  template: 'mnist-cnn',
  parameters: { seed: { values: [1, 2, 3] } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('worker identity', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let a: RegisteredWorker;
  let b: RegisteredWorker;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    [a, b] = await Promise.all([registerWorker(s, 'a'), registerWorker(s, 'b')]);
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  /** A worker call with raw headers, for the cases ApiClient cannot send. */
  async function post(
    path: string,
    headers: Record<string, string>,
    body: unknown = {},
  ): Promise<{ status: number; code: string; message: string }> {
    const res = await fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { code: string; message: string };
    return { status: res.status, ...json };
  }

  it("keeps the release an agent registers with, and null for one that names none", async () => {
    const named = await s.worker.registerWorker({ host: 'release-node', slots: 1, backends: ['cpu'], version: '0.9.1' });
    const workers = (await s.user.listWorkers()).workers;
    expect(workers.find((w) => w.id === named.workerId)?.version).toBe('0.9.1');
    expect(workers.find((w) => w.id === a.workerId)?.version).toBeNull();
    await expect(s.worker.registerWorker({ host: 'bad-release', slots: 1, backends: ['cpu'], version: '' })).rejects.toMatchObject({ status: 400 });
  });

  it('hands out a random secret per registration and stores only its SHA-256', async () => {
    expect(a.workerSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.workerSecret).not.toBe(b.workerSecret);
    const { rows } = await db.query<{ secret_hash: Buffer; row: string }>(
      'SELECT secret_hash, row_to_json(w)::text AS row FROM workers w WHERE id = $1',
      [a.workerId],
    );
    expect(rows[0]!.secret_hash.equals(createHash('sha256').update(a.workerSecret).digest())).toBe(true);
    expect(rows[0]!.row).not.toContain(a.workerSecret);
  });

  it('worker B, with the shared token, cannot report, heartbeat or lease as worker A, and nothing is stored', async () => {
    const sweep = await s.user.createSweep(spec);
    const held = (await a.api.leaseTrial(a.workerId)).trial!;
    const before = await s.user.getSweep(sweep.id);

    const asA = { type: 'epoch' as const, workerId: a.workerId, step: 1, metrics: { val_acc: 0.99 } };
    expect((await errorOf(b.api.report(held.id, asA))).code).toBe('forbidden');
    expect((await errorOf(b.api.heartbeat(a.workerId, { trialIds: [held.id] }))).code).toBe('forbidden');
    const lease = await errorOf(b.api.leaseTrial(a.workerId));
    expect(lease.code).toBe('forbidden');
    expect(lease.message).toContain('cannot act as worker');
    // A's id in the header with B's secret: the secret does not match.
    const forged = await post(
      `/api/trials/${held.id}/reports`,
      {
        authorization: `Bearer ${s.config.workerToken}`,
        [WORKER_IDENTITY_HEADER]: `${a.workerId}:${b.workerSecret}`,
      },
      asA,
    );
    expect(forged).toMatchObject({ status: 401, code: 'unauthorized' });

    expect((await s.user.getTrialMetrics(held.id)).points).toEqual([]);
    const after = await s.user.getSweep(sweep.id);
    expect(after.sweep.counts).toEqual(before.sweep.counts);
    expect(after.trials.find((t) => t.id === held.id)).toMatchObject({
      status: 'leased',
      step: null,
      score: null,
    });
  });

  it('answers 401 with "register again" without the header, with a malformed one, or without the pool token', async () => {
    const token = { authorization: `Bearer ${s.config.workerToken}` };
    for (const header of [
      undefined,
      '',
      'nonsense',
      `${a.workerId}`,
      `${a.workerId}:`,
      `not-a-uuid:${a.workerSecret}`,
    ]) {
      const res = await post(
        `/api/workers/${a.workerId}/lease`,
        header === undefined ? token : { ...token, [WORKER_IDENTITY_HEADER]: header },
      );
      expect(res).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(res.message).toContain('register again');
    }
    const noToken = await post(`/api/workers/${a.workerId}/lease`, {
      [WORKER_IDENTITY_HEADER]: `${a.workerId}:${a.workerSecret}`,
    });
    expect(noToken).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await errorOf(s.worker.leaseTrial(a.workerId))).code).toBe('unauthorized');
  });

  it('answers an id that was never registered (or was removed) with 404 worker_not_found', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const res = await post(`/api/workers/${ghost}/heartbeat`, {
      authorization: `Bearer ${s.config.workerToken}`,
      [WORKER_IDENTITY_HEADER]: `${ghost}:${a.workerSecret}`,
    });
    expect(res).toMatchObject({ status: 404, code: 'worker_not_found' });
    expect(res.message).toContain('register again');
  });

  it('lets each worker act as itself', async () => {
    const beat = await b.api.heartbeat(b.workerId, { trialIds: [] });
    expect(beat).toMatchObject({ renewed: [], stop: [] });
    const { trial } = await b.api.leaseTrial(b.workerId);
    expect(trial).not.toBeNull();
    await expect(
      b.api.report(trial!.id, { type: 'epoch', workerId: b.workerId, step: 1, metrics: { val_acc: 0.5 } }),
    ).resolves.toMatchObject({ cancel: false });
  });

  it('lists workers with the leases they hold, never a secret', async () => {
    const { workers } = await s.user.listWorkers();
    const listed = workers.find((w) => w.id === b.workerId)!;
    expect(listed).toMatchObject({ host: 'b', slots: 1, backends: ['cpu'], leases: 1 });
    expect(JSON.stringify(workers)).not.toContain(b.workerSecret);
    expect(Object.keys(listed).sort()).toEqual([
      'backends',
      'commands',
      'cpuSlots',
      'gpus',
      'host',
      'id',
      'lastHeartbeatAt',
      'leases',
      'registeredAt',
      'slots',
      'state',
      'telemetry',
      'trialsPerGpu',
      'version',
    ]);
  });

  it('does not echo a long id back whole', async () => {
    const long = 'x'.repeat(4000); // an URL much longer than this is refused by Node's header limit before any route
    const report = await errorOf(
      a.api.report(long, { type: 'epoch', workerId: a.workerId, step: 1, metrics: {} }),
    );
    expect(report.code).toBe('trial_not_found');
    expect(report.message.length).toBeLessThan(200);
    const asOther = await errorOf(
      a.api.report(long, { type: 'epoch', workerId: 'y'.repeat(64), step: 1, metrics: {} }),
    );
    expect(asOther.code).toBe('forbidden');
    const sweep = await errorOf(s.user.getSweep(long));
    expect(sweep.code).toBe('sweep_not_found');
    expect(sweep.message.length).toBeLessThan(200);
  });
});
