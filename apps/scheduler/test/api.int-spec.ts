import { ApiError, type SweepSpecInput } from '@ablate/contracts';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker } from './registered-worker.js';

const spec: SweepSpecInput = {
  name: 'dropout x bn',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.5] }, batchNorm: { values: [false, true] }, epochs: { value: 2 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

async function expectApiError(promise: Promise<unknown>, code: string): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  return err as ApiError;
}

describe('REST API', () => {
  let s: TestScheduler;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
  });
  afterAll(async () => s.close());

  it('answers health with the database up and the scheduler version', async () => {
    const health: unknown = await (await fetch(`${s.url}/api/health`)).json();
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(health).toEqual({ ok: true, database: 'up', version });
  });

  it('creates a sweep with its grid of queued trials', async () => {
    const created = await s.user.createSweep(spec);
    expect(created).toMatchObject({ status: 'queued', total: 4, project: 'default', counts: { queued: 4 } });
    const detail = await s.user.getSweep(created.id);
    expect(
      detail.trials.map((t) => [t.index, t.params.dropout, t.params.batchNorm, t.status, t.rank]),
    ).toEqual([
      [0, 0, false, 'queued', null],
      [1, 0, true, 'queued', null],
      [2, 0.5, false, 'queued', null],
      [3, 0.5, true, 'queued', null],
    ]);
    expect((await s.user.listSweeps()).sweeps.map((x) => x.id)).toContain(created.id);
  });

  it('answers an invalid spec with 400 and the failing field paths', async () => {
    const res = await fetch(`${s.url}/api/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...spec,
        parameters: { dropout: { values: [2] } },
        metric: { name: 'val_acc' },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; issues: { path: string; message: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.issues.map((i) => i.path)).toContain('metric.goal');
    const malformed = await fetch(`${s.url}/api/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('validation_failed');
    const badKnob = await expectApiError(
      s.user.createSweep({ ...spec, parameters: { dropout: { values: [0, 2] } } }),
      'validation_failed',
    );
    expect(badKnob.issues).toEqual([
      { path: 'parameters.dropout', message: expect.stringContaining('2') as string },
    ]);
  });

  it('answers unknown sweep and trial ids with 404', async () => {
    await expectApiError(s.user.getSweep('00000000-0000-4000-8000-000000000000'), 'sweep_not_found');
    await expectApiError(s.user.getSweep('not-a-uuid'), 'sweep_not_found');
    await expectApiError(s.user.getTrialMetrics('00000000-0000-4000-8000-000000000000'), 'trial_not_found');
    const res = await fetch(`${s.url}/api/nope`);
    expect(res.status).toBe(404);
  });

  it('refuses worker calls without the worker token', async () => {
    await expectApiError(s.user.registerWorker({ host: 'evil', slots: 1, backends: [] }), 'unauthorized');
  });

  it('refuses a report for a trial the worker does not hold with 409 and stores nothing', async () => {
    await s.user.createSweep(spec);
    const a = await registerWorker(s, 'a');
    const b = await registerWorker(s, 'b');
    const leased = (await a.api.leaseTrial(a.workerId)).trial!;
    await expectApiError(
      b.api.report(leased.id, { type: 'epoch', workerId: b.workerId, step: 1, metrics: { val_acc: 0.9 } }),
      'lease_not_held',
    );
    expect((await s.user.getTrialMetrics(leased.id)).points).toEqual([]);
    await expectApiError(
      a.api.report('00000000-0000-4000-8000-000000000000', {
        type: 'epoch',
        workerId: a.workerId,
        step: 1,
        metrics: {},
      }),
      'trial_not_found',
    );
  });

  it('rejects malformed worker reports and keeps a repeated report from changing anything', async () => {
    const sweep = await s.user.createSweep({ ...spec, name: 'repeat' });
    const w = await registerWorker(s, 'a');
    let leased = (await w.api.leaseTrial(w.workerId)).trial!;
    while (leased.sweepId !== sweep.id) {
      await w.api.report(leased.id, {
        type: 'failed',
        workerId: w.workerId,
        error: 'skip',
        retryable: false,
      });
      leased = (await w.api.leaseTrial(w.workerId)).trial!;
    }
    const res = await fetch(`${s.url}/api/trials/${leased.id}/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${s.config.workerToken}`,
        'x-ablate-worker': `${w.workerId}:${w.workerSecret}`,
      },
      body: JSON.stringify({ type: 'epoch', workerId: w.workerId, step: -1, metrics: { val_acc: 'high' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(['metrics.val_acc', 'step']);

    const report = {
      type: 'epoch' as const,
      workerId: w.workerId,
      step: 1,
      metrics: { val_acc: 0.8, loss: 0.5 },
    };
    await w.api.report(leased.id, report);
    await w.api.report(leased.id, { ...report, metrics: { val_acc: 0.1, loss: 9 } });
    const points = (await s.user.getTrialMetrics(leased.id)).points;
    expect(points).toEqual([
      { step: 1, name: 'loss', value: 0.5 },
      { step: 1, name: 'val_acc', value: 0.8 },
    ]);
    const trial = (await s.user.getSweep(sweep.id)).trials.find((t) => t.id === leased.id)!;
    expect(trial).toMatchObject({ status: 'running', score: 0.8, step: 1 });
  });

  it('GET /api/templates lists every template with its defaults and metrics, also those with required params', async () => {
    const { templates } = await s.user.listTemplates();
    const mnist = templates.find((t) => t.name === 'mnist-cnn');
    expect(mnist?.defaults).toMatchObject({ dropout: 0, batchNorm: false, epochs: 3 });
    expect(mnist?.metrics.map((m) => m.name)).toContain('val_acc');
    for (const name of ['cifar10-cnn', 'timeseries-causal-cnn', 'random-forest', 'transfer']) {
      expect(templates.map((t) => t.name)).toContain(name);
    }
    expect(templates.find((t) => t.name === 'transfer')?.defaults).not.toHaveProperty('extractor');
  });
});
