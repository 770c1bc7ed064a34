import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { expandGrid, gridSize } from './grid-expansion.js';
import { planSweep } from './sweep-spec.schema.js';

const base = {
  name: 'dropout x bn',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.5] }, batchNorm: { values: [false, true] }, epochs: { value: 2 } },
  metric: { name: 'val_acc', goal: 'maximize' },
};

function issuesOf(raw: unknown) {
  try {
    planSweep(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).issues ?? [];
  }
  throw new Error('expected planSweep to throw');
}

describe('planSweep', () => {
  it('expands a 2x2 grid into four validated trials with defaults filled in', () => {
    const { spec, trials } = planSweep(base);
    expect(spec.project).toBe('default');
    expect(trials).toHaveLength(4);
    expect(trials.map((t) => [t.dropout, t.batchNorm])).toEqual([
      [0, false],
      [0, true],
      [0.5, false],
      [0.5, true],
    ]);
    expect(trials[0]).toMatchObject({ epochs: 2, batchSize: 64, seed: 1 });
  });

  it('names the failing field paths of an invalid spec', () => {
    const issues = issuesOf({ ...base, name: '', metric: { name: 'val_acc', goal: 'up' }, parameters: { dropout: { values: [] } } });
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('name');
    expect(paths).toContain('metric.goal');
    expect(paths.some((p) => p.startsWith('parameters.dropout'))).toBe(true);
  });

  it('rejects an unknown template and lists the known ones', () => {
    const issues = issuesOf({ ...base, template: 'resnet-9000' });
    expect(issues[0]?.path).toBe('template');
    expect(issues[0]?.message).toContain('mnist-cnn');
  });

  it('rejects knob values the template does not accept, with the offending value', () => {
    const issues = issuesOf({ ...base, parameters: { dropout: { values: [0.2, 1.5] }, nonsense: { value: 3 } } });
    expect(issues.find((i) => i.path === 'parameters.dropout')?.message).toContain('1.5');
    expect(issues.find((i) => i.path === 'parameters.nonsense')?.message).toBe('template mnist-cnn has no parameter nonsense');
  });

  it('keeps a grid spec of before the search fields exactly as written (no new keys) with the same trials', () => {
    const { spec, trials } = planSweep(base);
    expect(spec).toEqual({ ...base, project: 'default', method: 'grid', maxRetries: 2 });
    expect(trials.every((t) => Object.keys(t).length === Object.keys(trials[0] ?? {}).length)).toBe(true);
  });

  it('rejects a metric the template does not report', () => {
    const issues = issuesOf({ ...base, metric: { name: 'bleu', goal: 'maximize' } });
    expect(issues).toEqual([{ path: 'metric.name', message: expect.stringContaining('val_acc') as string }]);
  });

  it('refuses grids above the trial limit without expanding them', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    const issues = issuesOf({ ...base, parameters: { seed: { values }, epochs: { values } } });
    expect(issues[0]).toMatchObject({ path: 'parameters' });
    expect(issues[0]?.message).toContain('10201');
  });
});

describe('expandGrid', () => {
  it('is the cartesian product in key order', () => {
    const space = { a: { values: [1, 2] }, b: { value: 'x' }, c: { values: [true, false] } };
    expect(gridSize(space)).toBe(4);
    expect(expandGrid(space)).toEqual([
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'x', c: false },
      { a: 2, b: 'x', c: true },
      { a: 2, b: 'x', c: false },
    ]);
    expect(expandGrid({})).toEqual([{}]);
  });
});
