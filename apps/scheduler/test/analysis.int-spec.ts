import { ApiError, SweepAnalysis, type LeaderboardExport } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestScheduler } from '../src/testing/index.js';
import { startWithWorker, type RegisteredWorker } from './registered-worker.js';
import { complete, epoch, leaseFrom, runToTheEnd } from './sweep-driver.js';

/** Cell means of the course's dropout × batch-norm ablation; seed 2 scores 0.02 above seed 1. */
const MEANS: Record<string, number> = { '0|false': 0.5, '0.3|false': 0.56, '0|true': 0.6, '0.3|true': 0.7 };
const score = (p: Record<string, unknown>) => MEANS[`${String(p.dropout)}|${String(p.batchNorm)}`]! + (p.seed === 2 ? 0.02 : 0);

describe('GET /api/sweeps/:id/analysis and /download (real PostgreSQL)', () => {
  let s: TestScheduler;
  let w: RegisteredWorker;

  beforeAll(async () => ({ s, w } = await startWithWorker()));
  afterAll(async () => {
    await s.close();
  });

  function createAblation(name: string) {
    return s.user.createSweep({
      name,
      template: 'mnist-cnn',
      parameters: { dropout: { values: [0, 0.3] }, batchNorm: { values: [false, true] }, epochs: { value: 2 } },
      repeats: 2,
      metric: { name: 'val_acc', goal: 'maximize' },
    });
  }

  it('fills the ablation table as trials complete: the baseline, one row per knob, mean ± std over seeds, n and delta; importance and best-so-far', async () => {
    const sweep = await createAblation('analysis ablation');
    const empty = SweepAnalysis.parse(await s.user.getSweepAnalysis(sweep.id));
    expect(empty).toMatchObject({ completed: 0, bestSoFar: { finished: 0, points: [] }, parallel: { lines: [], total: 0, sampled: false } });
    expect(empty.ablation.rows.map((r) => [r.knob, r.value, r.n, r.mean])).toEqual([[null, null, 0, null], ['dropout', 0.3, 0, null], ['batchNorm', true, 0, null]]);

    // One trial mid-way counts for nothing yet: only completed trials are analysed.
    const first = await leaseFrom(w, sweep.id);
    await epoch(w, first.id, 1, 0.4);
    expect((await s.user.getSweepAnalysis(sweep.id)).completed).toBe(0);
    await complete(w, first.id, 2, score(first.params));
    await runToTheEnd(w, sweep.id, score);

    const analysis = await s.user.getSweepAnalysis(sweep.id);
    expect(analysis.completed).toBe(8);
    expect(analysis.ablation.baseline).toEqual({ dropout: 0, batchNorm: false });
    expect(analysis.ablation.rows.map((r) => [r.knob, r.value, round(r.mean), round(r.std), r.n, round(r.delta)])).toEqual([
      [null, null, 0.51, 0.014142, 2, 0],
      ['dropout', 0.3, 0.57, 0.014142, 2, 0.06],
      ['batchNorm', true, 0.61, 0.014142, 2, 0.1],
    ]);
    expect(analysis.importance.knobs.map((k) => k.knob)).toEqual(['batchNorm', 'dropout']);
    expect(analysis.importance.knobs[0]!.share).toBeGreaterThan(analysis.importance.knobs[1]!.share);
    expect(analysis.bestSoFar.finished).toBe(8);
    expect(analysis.bestSoFar.points.at(-1)).toEqual([8, 0.72]);
    expect(analysis.parallel.lines[0]).toEqual([0.3, true, 0.72]);
    expect(analysis.knobs.map((k) => k.name)).toEqual(['dropout', 'batchNorm']);
  });

  it('downloads the leaderboard as CSV (trials or configurations) and JSON with curves, as attachments', async () => {
    const sweep = await createAblation('export me');
    await runToTheEnd(w, sweep.id, score);
    const csv = await fetch(`${s.url}/api/sweeps/${sweep.id}/download?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="export-me-${sweep.id.slice(0, 8)}-trials.csv"`);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^rank,index,id,status,step,score \(val_acc\),/);
    expect(lines[1]).toMatch(/^1,\d+,[0-9a-f-]{36},completed,1,0\.72,/);

    const configs = await fetch(`${s.url}/api/sweeps/${sweep.id}/download?format=csv&group=config`);
    const configLines = (await configs.text()).trimEnd().split('\r\n');
    expect(configLines).toHaveLength(5);
    expect(configLines[0]).toMatch(/^rank,mean \(val_acc\),std,n,runs,/);
    expect(configs.headers.get('content-disposition')).toMatch(/-configurations\.csv"$/);

    const json = await fetch(`${s.url}/api/sweeps/${sweep.id}/download?format=json`);
    expect(json.headers.get('content-disposition')).toMatch(/-leaderboard\.json"$/);
    const body = (await json.json()) as LeaderboardExport;
    expect(body.format).toBe('ablate-leaderboard');
    expect(body.trials).toHaveLength(8);
    expect(body.trials[0]?.series.val_acc).toEqual([[1, 0.72]]);
    expect(body.configurations).toHaveLength(4);

    // The series CSV: one row per stored metric point, the same rows as the archive's points.
    const series = await fetch(`${s.url}/api/sweeps/${sweep.id}/download?format=csv&group=series`);
    expect(series.status).toBe(200);
    expect(series.headers.get('content-disposition')).toBe(`attachment; filename="export-me-${sweep.id.slice(0, 8)}-series.csv"`);
    const [seriesHeader, ...seriesRows] = (await series.text()).trimEnd().split('\r\n');
    expect(seriesHeader).toBe('trial_id,index,step,metric,value');
    const archive = await s.user.exportSweep(sweep.id);
    const ids = new Map(body.trials.map((t) => [t.index, t.id]));
    const stored = [...archive.trials].sort((a, b) => a.index - b.index).flatMap((t) => t.points.map(([step, name, value]) => `${ids.get(t.index)},${t.index},${step},${name},${value}`));
    expect(stored.length).toBeGreaterThanOrEqual(8);
    expect(seriesRows).toEqual(stored);
    expect(seriesRows).toContain(`${body.trials[0]?.id},${body.trials[0]?.index},1,val_acc,0.72`);
    const seriesJson = await fetch(`${s.url}/api/sweeps/${sweep.id}/download?format=json&group=series`);
    expect(seriesJson.status).toBe(400);
  });

  it('refuses a bad format and an unknown sweep, naming what to fix', async () => {
    const sweep = await createAblation('refusals');
    const bad = await fetch(`${s.url}/api/sweeps/${sweep.id}/download?format=xlsx`);
    expect(bad.status).toBe(400);
    const refusal = (await bad.json()) as { code: string; message: string };
    expect(refusal.code).toBe('validation_failed');
    expect(refusal.message).toContain('format: give csv or json');
    const missing = await s.user.getSweepAnalysis('00000000-0000-4000-8000-000000000000').then(() => null, (e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).code).toBe('sweep_not_found');
    expect((await fetch(`${s.url}/api/sweeps/nope/download`)).status).toBe(404);
  });
});

function round(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 1e6) / 1e6;
}
