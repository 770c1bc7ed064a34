import { ApiError, ErrorCode, type MetricPoint } from '@ablate/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { METRIC_POINTS_AFTER_STEP_SQL } from '../src/modules/trials/trials.repository.js';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker } from './registered-worker.js';

type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Index Cond'?: string; 'Actual Rows': number; Plans?: PlanNode[] };

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

const UNKNOWN_TRIAL = '00000000-0000-4000-8000-000000000000';

/** A live trial page appends `?afterStep=<highest step shown>` instead of fetching the whole history again. */
describe('GET /api/trials/:id/metrics?afterStep=N: only the later points', () => {
  let s: TestScheduler;
  let db: pg.Client;
  let trialId: string;
  let all: MetricPoint[];

  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: s.config.databaseUrl });
    await db.connect();
    await s.user.createSweep({
      name: 'curves',
      template: 'command',
      parameters: { command: { value: 'python3 train.py' } },
      metric: { name: 'score', goal: 'maximize' },
    });
    const worker = await registerWorker(s, 'node-a');
    const { trial } = await worker.api.leaseTrial(worker.workerId);
    if (!trial) throw new Error('nothing leased');
    trialId = trial.id;
    for (let step = 1; step <= 6; step++) {
      await worker.api.report(trialId, { type: 'epoch', workerId: worker.workerId, step, metrics: { score: step / 10, loss: 1 / step } });
    }
    all = (await s.user.getTrialMetrics(trialId)).points;
  });
  afterAll(async () => {
    await db.end();
    await s.close();
  });

  it('answers every point without afterStep, and exactly the later ones with it, by step then name', async () => {
    expect(all.map((p) => `${p.step}:${p.name}`)).toEqual([1, 2, 3, 4, 5, 6].flatMap((step) => [`${step}:loss`, `${step}:score`]));
    for (const afterStep of [0, 1, 3, 5, 6, 1_000]) {
      const { points } = await s.user.getTrialMetrics(trialId, { afterStep });
      expect(points, `afterStep=${afterStep}`).toEqual(all.filter((p) => p.step > afterStep));
    }
    expect((await s.user.getTrialMetrics(trialId, { afterStep: 4 })).points).toEqual([
      { step: 5, name: 'loss', value: 1 / 5 },
      { step: 5, name: 'score', value: 0.5 },
      { step: 6, name: 'loss', value: 1 / 6 },
      { step: 6, name: 'score', value: 0.6 },
    ]);
  });

  it('refuses an afterStep that is not a whole number from 0 with 400 validation_failed naming afterStep and what to send', async () => {
    for (const bad of ['-1', '1.5', 'abc', '', '1e3', '2147483648']) {
      const res = await fetch(`${s.url}/api/trials/${trialId}/metrics?afterStep=${encodeURIComponent(bad)}`);
      const body = (await res.json()) as { code: string; message: string; issues?: { path: string; message: string }[] };
      expect(res.status, `afterStep=${bad}`).toBe(400);
      expect(body.code).toBe(ErrorCode.ValidationFailed);
      expect(body.message).toBe(
        'The query is invalid. afterStep: send a whole number from 0 (the highest step you already have), or leave afterStep out for every point',
      );
      expect(body.issues?.[0]?.path).toBe('afterStep');
    }
  });

  it('answers 404 trial_not_found for an unknown or malformed id, with or without afterStep', async () => {
    for (const id of [UNKNOWN_TRIAL, 'not-a-uuid']) {
      for (const query of [{}, { afterStep: 2 }]) {
        const error = await s.user.getTrialMetrics(id, query).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe(ErrorCode.TrialNotFound);
      }
    }
  });

  it('lists afterStep in the OpenAPI document (a non-negative integer query parameter) and the 400 it may answer', async () => {
    const doc = (await (await fetch(`${s.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { get: { parameters: { in: string; name: string; required?: boolean; schema: unknown }[]; responses: Record<string, unknown> } }>;
    };
    const route = doc.paths['/api/trials/{id}/metrics']!.get;
    expect(route.parameters.find((p) => p.name === 'afterStep')).toMatchObject({ in: 'query', schema: { type: 'integer', minimum: 0 } });
    expect(route.parameters.find((p) => p.name === 'afterStep')?.required).not.toBe(true);
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });

  it('reads the later points of a long trial through the primary key, not the whole history', async () => {
    // 2,000 more epochs × 4 metrics, written as reports would leave them, so the planner has a real choice.
    await db.query(
      `INSERT INTO metric_points (trial_id, name, step, value, recorded_at)
       SELECT $1, n, st, st / 2000.0, now() FROM generate_series(100, 2099) st, unnest(ARRAY['acc', 'loss', 'val_acc', 'val_loss']) n`,
      [trialId],
    );
    await db.query('ANALYZE metric_points');
    const later = (await s.user.getTrialMetrics(trialId, { afterStep: 2097 })).points;
    expect(later.map((p) => `${p.step}:${p.name}`)).toEqual([2098, 2099].flatMap((step) => ['acc', 'loss', 'val_acc', 'val_loss'].map((n) => `${step}:${n}`)));
    const plan = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${METRIC_POINTS_AFTER_STEP_SQL}`, [trialId, 2097]);
    const nodes = flatten((plan.rows[0]!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    const scan = nodes.find((n) => n['Index Name'] === 'metric_points_pkey');
    expect(scan, JSON.stringify(nodes)).toBeDefined();
    expect(scan!['Index Cond']).toContain('step >');
    // The 8 later points, not the 8,000 stored ones.
    expect(scan!['Actual Rows']).toBe(8);
  });
});
