import { ApiClient, ApiError, SWEEP_ARCHIVE_MEDIA_TYPE, type SweepArchive, type SweepSpecInput } from '@ablate/contracts';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

const spec: SweepSpecInput = {
  name: 'archived: dropout x bn',
  project: 'archive-test',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.25, 0.5, 0.75] }, batchNorm: { values: [false, true] }, epochs: { value: 3 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

/**
 * Puts the sweep's 8 trials in every status, with curves of 3 metrics over up to 120 steps (values
 * with full double precision, times with microseconds) and a few extreme values.
 */
const SEED = `
  WITH plan(index, status, attempt, step, backend, error) AS (VALUES
    (0, 'completed', 1, 120, 'wasm', NULL), (1, 'failed', 3, 10, 'cpu', E'💥 out of memory\\nat epoch 10'),
    (2, 'pruned', 1, 20, 'tensorflow', NULL), (3, 'cancelled', 1, 5, 'wasm', NULL),
    (4, 'running', 1, 50, 'wasm', NULL), (5, 'leased', 2, NULL, NULL, NULL),
    (6, 'queued', 2, 7, 'cpu', 'The worker stopped reporting (lease expired); the trial was requeued.'), (7, 'queued', 1, NULL, NULL, NULL))
  UPDATE trials t SET status = p.status, attempt = p.attempt, step = p.step, backend = p.backend, error = p.error,
    score_step = CASE WHEN p.status = 'completed' THEN 87 END,
    started_at = CASE WHEN p.step IS NULL THEN NULL ELSE '2026-01-01 00:00:00.000001+00'::timestamptz END,
    finished_at = CASE WHEN p.status IN ('completed', 'failed', 'pruned', 'cancelled') THEN '2026-01-01 01:02:03.456789+00'::timestamptz END,
    lease_expires_at = CASE WHEN p.status IN ('leased', 'running') THEN now() + interval '1 hour' END,
    updated_at = '2026-01-01 01:02:03.999999+00'
  FROM plan p WHERE t.sweep_id = $1 AND t.index = p.index;
  INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
    SELECT t.id, m.name, g.step, sin(g.step * (t.index + 1) + length(m.name)) / 3, '2026-01-01 00:00:00.123456+00'::timestamptz + g.step * interval '1.000001 second'
      FROM trials t CROSS JOIN (VALUES ('val_acc'), ('val_loss'), ('loss')) m(name) CROSS JOIN LATERAL generate_series(1, t.step) g(step)
     WHERE t.sweep_id = $1 AND t.step IS NOT NULL;
  INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
    SELECT t.id, 'extreme/a.b-c', v.step, v.value, '2026-01-01 00:00:00+00' FROM trials t,
      (VALUES (0, 1e308::float8), (1, 5e-324::float8), (2, -1.7976931348623157e308::float8), (3, 0.30000000000000004::float8)) v(step, value)
     WHERE t.sweep_id = $1 AND t.index = 0;
  UPDATE trials t SET
    metrics = COALESCE((SELECT jsonb_object_agg(name, value) FROM metric_points WHERE trial_id = t.id AND step = t.step), '{}'),
    score = (SELECT max(value) FROM metric_points WHERE trial_id = t.id AND name = 'val_acc')
  WHERE t.sweep_id = $1;
  UPDATE sweeps SET status = 'running', updated_at = '2026-01-01 01:02:03.999999+00' WHERE id = $1;`;

const LIVE = ['queued', 'leased', 'running'];

describe('sweep export and import', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let original: SweepArchive;
  const counts = async () => (await db.query<{ n: string }>('SELECT (SELECT count(*) FROM sweeps) || \'/\' || (SELECT count(*) FROM trials) || \'/\' || (SELECT count(*) FROM metric_points) AS n')).rows[0]!.n;

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    const created = await s.user.createSweep(spec);
    await db.query(SEED.replace(/\$1/g, `'${created.id}'`));
    original = await s.user.exportSweep(created.id);
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  it('exports every trial with every stored point', async () => {
    expect(original).toMatchObject({ format: 'ablate-sweep-archive', version: 2, sweep: { project: 'archive-test', status: 'running' } });
    expect(original.trials.map((t) => t.status)).toEqual(['completed', 'failed', 'pruned', 'cancelled', 'running', 'leased', 'queued', 'queued']);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_points mp JOIN trials t ON t.id = mp.trial_id WHERE t.sweep_id = $1', [original.sweep.id]);
    expect(original.trials.reduce((n, t) => n + t.points.length, 0)).toBe(rows[0]!.n);
    expect(rows[0]!.n).toBe(3 * (120 + 10 + 20 + 5 + 50 + 7) + 4);
    expect(original.trials[0]!.points.filter((p) => p[1] === 'extreme/a.b-c').map((p) => p[2])).toEqual([1e308, 5e-324, -1.7976931348623157e308, 0.30000000000000004]);
    expect(original.trials[0]!.points[0]![3]).toMatch(/^2026-01-01T00:00:00\.000000Z$/);
    expect(original.trials.map((t) => t.scoreStep)).toEqual([87, null, null, null, null, null, null, null]); // the epoch the score comes from
  });

  it('imports as a new sweep, exactly as exported apart from ids and the unfinished trials, which start over', async () => {
    const imported = await s.user.importSweep(JSON.stringify(original));
    expect(imported.id).not.toBe(original.sweep.id);
    expect(imported).toMatchObject({ project: 'archive-test', status: 'running', total: 8, counts: { completed: 1, failed: 1, pruned: 1, cancelled: 1, queued: 4, leased: 0, running: 0 } });
    const copy = await s.user.exportSweep(imported.id);
    expect(copy.sweep).toEqual({ ...original.sweep, id: imported.id });
    copy.trials.forEach((t, i) => {
      const before = original.trials[i]!;
      if (!LIVE.includes(before.status)) return expect(t).toEqual(before);
      const fresh = { ...before, status: 'queued', step: null, metrics: {}, score: null, backend: null, startedAt: null, finishedAt: null, points: [] };
      const untouched = before.status === 'queued' && before.step === null;
      expect(t).toEqual(untouched ? before : { ...fresh, updatedAt: t.updatedAt });
    });
    // A second round trip changes nothing at all.
    const again = await s.user.exportSweep((await s.user.importSweep(JSON.stringify(copy))).id);
    expect({ ...again, exportedAt: '', sweep: { ...again.sweep, id: '' } }).toEqual({ ...copy, exportedAt: '', sweep: { ...copy.sweep, id: '' } });
  });

  it('imports a gzipped archive into another project, and a worker can lease its requeued trials', async () => {
    const imported = await s.user.importSweep(gzipSync(JSON.stringify(original)), { gzip: true, project: 'elsewhere' });
    expect(imported.project).toBe('elsewhere');
    expect((await s.user.getSweep(imported.id)).sweep.spec.project).toBe('elsewhere');
    await s.user.cancelSweep(original.sweep.id); // so the lease below can only come from the imported sweeps
    const reg = await s.worker.registerWorker({ host: 'archive-test', slots: 1, backends: ['cpu'] });
    const worker = new ApiClient({ baseUrl: s.url, token: s.config.workerToken, worker: reg });
    const { trial } = await worker.leaseTrial(reg.workerId);
    expect(trial).toMatchObject({ resumeAfterStep: null });
    expect(trial?.sweepId).not.toBe(original.sweep.id);
  });

  it('refuses a broken archive with 400 naming the field, and stores nothing', async () => {
    const before = await counts();
    const broken = (edit: (a: SweepArchive) => void) => {
      const a = structuredClone(original);
      edit(a);
      return JSON.stringify(a);
    };
    const cases: [string, string][] = [
      [broken((a) => Object.assign(a, { version: 3 })), 'version'],
      [broken((a) => Object.assign(a.trials[3]!, { status: 'exploded' })), 'trials.3.status'],
      [broken((a) => a.trials[0]!.points.push([1, 'val_acc', 0.5, '2026-01-01T00:00:00Z'])), `trials.0.points.${original.trials[0]!.points.length}`],
      [broken((a) => (a.trials[0]!.points[2]![1] = 'nul\u0000name')), 'trials.0.points.2.1'],
      [broken((a) => (a.trials[1]!.points[0]![0] = 2 ** 31)), 'trials.1.points.0.0'],
      [broken((a) => (a.sweep.spec.template = 'no-such-template')), 'sweep.spec.template'],
      [broken((a) => (a.trials[2]!.createdAt = 'yesterday')), 'trials.2.createdAt'],
    ];
    for (const [body, path] of cases) {
      const err = await s.user.importSweep(body).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('validation_failed');
      expect((err as ApiError).issues?.map((i) => i.path)).toContain(path);
    }
    const refused = await s.user.importSweep(JSON.stringify(original), { project: 'Not A Slug' }).catch((e: ApiError) => e);
    expect((refused as ApiError).issues?.[0]?.path).toBe('project');
    expect(await s.user.importSweep('{"format": ').catch((e: ApiError) => e.code)).toBe('validation_failed');
    expect(await s.user.importSweep(Buffer.from('not gzip'), { gzip: true }).catch((e: ApiError) => e.code)).toBe('validation_failed');
    const wrongType = await fetch(`${s.url}/api/sweeps/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(wrongType.status).toBe(415);
    const latin1 = await fetch(`${s.url}/api/sweeps/import`, { method: 'POST', headers: { 'content-type': `${SWEEP_ARCHIVE_MEDIA_TYPE}; charset=latin1` }, body: '{}' });
    expect(latin1.status).toBe(415);
    expect(await counts()).toBe(before);
  });

  it('stores nothing when the database fails half-way through an import', async () => {
    const before = await counts();
    // A fault only the last point of the last trial meets: the sweep, its trials and most points are in by then.
    await db.query(`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.name = 'poison' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
    await db.query('CREATE TRIGGER poison BEFORE INSERT ON metric_points FOR EACH ROW EXECUTE FUNCTION poison()');
    try {
      const archive = structuredClone(original);
      archive.trials[3]!.points.push([6, 'poison', 1, '2026-01-01T00:00:00Z']);
      const err = await s.user.importSweep(JSON.stringify(archive)).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(await counts()).toBe(before);
    } finally {
      await db.query('DROP TRIGGER poison ON metric_points; DROP FUNCTION poison()');
    }
  });

  it('version 2 keeps the search state, budget, reasons and events, so a random sweep continues where it stopped; version 1 still imports', async () => {
    const grace = new ApiClient({ baseUrl: s.url, actor: 'grace' });
    const sweep = await grace.createSweep({ name: 'archived random', project: 'archive-test', template: 'mnist-cnn', method: 'random', seed: 5, maxTrials: 4, parameters: { dropout: { uniform: { min: 0, max: 0.5 } } }, metric: spec.metric });
    await grace.updateSweep(sweep.id, { maxTrials: 6 });
    await grace.pauseSweep(sweep.id);
    const archive = await s.user.exportSweep(sweep.id);
    expect(archive.sweep).toMatchObject({ status: 'paused', reason: 'paused by grace (127.0.0.1)', launchedBy: 'grace (127.0.0.1)', maxTrials: 6, searchState: { proposed: 6 } });
    expect(archive.events.map((e) => [e.action, e.actor])).toEqual([['created', 'grace (127.0.0.1)'], ['max_trials_raised', 'grace (127.0.0.1)'], ['paused', 'grace (127.0.0.1)']]);
    const imported = await s.user.importSweep(JSON.stringify(archive));
    expect(imported).toMatchObject({ status: 'paused', total: 6, launchedBy: 'grace (127.0.0.1)' });
    const copy = await s.user.exportSweep(imported.id);
    expect({ ...copy, exportedAt: '', sweep: { ...copy.sweep, id: '' } }).toEqual({ ...archive, exportedAt: '', sweep: { ...archive.sweep, id: '' } });
    // Both draw their next trials from the same sampler state.
    const more = async (id: string) => {
      await s.user.updateSweep(id, { maxTrials: 8 });
      return (await s.user.getSweep(id)).trials.filter((t) => t.index >= 6).sort((a, b) => a.index - b.index).map((t) => t.params);
    };
    expect(await more(imported.id)).toEqual(await more(sweep.id));

    const v1 = structuredClone(original) as unknown as { version: number; events?: unknown; sweep: Record<string, unknown>; trials: Record<string, unknown>[] };
    v1.version = 1;
    delete v1.events;
    for (const key of ['reason', 'launchedBy', 'maxTrials', 'searchState']) delete v1.sweep[key];
    for (const t of v1.trials) delete t.statusReason;
    const fromV1 = await s.user.importSweep(JSON.stringify(v1));
    expect(fromV1).toMatchObject({ status: 'running', total: 8, launchedBy: null, reason: null });
    expect((await s.user.exportSweep(fromV1.id)).sweep.searchState).toEqual({ proposed: 8, rng: [] }); // a grid continues after its last trial
  });

  it('answers an unknown sweep with 404', async () => {
    expect(await s.user.exportSweep('00000000-0000-4000-8000-000000000000').catch((e: ApiError) => e.code)).toBe('sweep_not_found');
    expect(await s.user.exportSweep('x'.repeat(10_000)).catch((e: ApiError) => e.message.length)).toBeLessThan(200);
  });
});
