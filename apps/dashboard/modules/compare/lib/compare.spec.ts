import type { MetricPoint } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { compareHref, MAX_COMPARED_TRIALS, parseCompareIds } from './compare-href';
import { overlayCurves } from './overlay';
import { paramDiff } from './param-diff';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('compare URL', () => {
  it('round-trips ids through compareHref and parseCompareIds, in order', () => {
    expect(compareHref([A, B])).toBe(`/compare?trials=${A},${B}`);
    expect(parseCompareIds(`${A},${B}`)).toEqual({ ids: [A, B], dropped: [] });
  });

  it('drops what is not a trial id, repeats and ids beyond the maximum', () => {
    const many = Array.from({ length: MAX_COMPARED_TRIALS + 1 }, (_, i) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`);
    expect(parseCompareIds([`${A},nope`, `${A.toUpperCase()}`]).ids).toEqual([A]);
    expect(parseCompareIds(`${A},nope`).dropped).toEqual(['nope']);
    expect(parseCompareIds(many.join(',')).ids).toHaveLength(MAX_COMPARED_TRIALS);
    expect(parseCompareIds(undefined)).toEqual({ ids: [], dropped: [] });
  });
});

describe('paramDiff', () => {
  it('lists differing params first and marks only those', () => {
    const rows = paramDiff([
      { params: { lr: 0.01, epochs: 3, layers: [32, 64], seed: 1 } },
      { params: { lr: 0.1, epochs: 3, layers: [32, 64], seed: 2 } },
      { params: { lr: 0.01, epochs: 3, layers: [32, 64] } },
    ]);
    expect(rows.map((r) => [r.name, r.differs])).toEqual([
      ['lr', true],
      ['seed', true],
      ['epochs', false],
      ['layers', false],
    ]);
    expect(rows.find((r) => r.name === 'seed')?.values).toEqual([1, 2, undefined]);
  });
});

describe('overlayCurves', () => {
  const curve = (name: string, values: number[]): MetricPoint[] => values.map((value, i) => ({ name, step: i + 1, value }));
  it('draws one series per trial on each metric, keeps each trial its colour, and tables one-off metrics', () => {
    const { charts, values } = overlayCurves([
      { label: '#0', points: [...curve('loss', [1, 0.5]), ...curve('val_acc', [0.5, 0.7]), { name: 'test_acc', step: 2, value: 0.69 }] },
      { label: '#1', points: [...curve('val_acc', [0.6, 0.8, 0.85])] },
    ]);
    expect(charts.map((c) => c.metric)).toEqual(['val_acc', 'loss']);
    expect(charts[0]?.series.map((s) => [s.label, s.colorIndex, s.points.length])).toEqual([
      ['#0', 0, 2],
      ['#1', 1, 3],
    ]);
    expect(charts[1]?.series.map((s) => s.label)).toEqual(['#0']);
    expect(values).toEqual([{ metric: 'test_acc', values: [0.69, null] }]);
  });
});
