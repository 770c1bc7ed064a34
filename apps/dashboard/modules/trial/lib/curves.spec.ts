import type { MetricPoint } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { bestPoint, markerFor, pairCurves } from './curves';

const series = (name: string, values: number[], from = 1): MetricPoint[] => values.map((value, i) => ({ name, step: from + i, value }));

describe('pairCurves', () => {
  it('puts each training metric with its validation metric on one chart and sets a one-off test metric apart', () => {
    const points = [
      ...series('val_acc', [0.5, 0.7, 0.65]),
      ...series('loss', [1, 0.6, 0.4]),
      ...series('acc', [0.4, 0.6, 0.8]),
      ...series('val_loss', [1.1, 0.8, 0.9]),
      { name: 'test_acc', step: 3, value: 0.66 },
    ];
    const { pairs, singles } = pairCurves(points);
    expect(pairs.map((p) => [p.name, p.train?.name, p.validation?.name])).toEqual([
      ['acc', 'acc', 'val_acc'],
      ['loss', 'loss', 'val_loss'],
    ]);
    expect(pairs[0]?.validation?.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(singles).toEqual([{ name: 'test_acc', value: 0.66, step: 3 }]);
  });

  it('pairs train_/val_ names and keeps a metric without a partner on its own chart', () => {
    const { pairs } = pairCurves([...series('train_loss', [2, 1]), ...series('val_loss', [3, 2]), ...series('lr', [0.1, 0.05])]);
    expect(pairs.map((p) => [p.name, p.train?.name ?? null, p.validation?.name ?? null])).toEqual([
      ['loss', 'train_loss', 'val_loss'],
      ['lr', 'lr', null],
    ]);
  });

  it('charts the first epoch of a running trial (every metric has one point) instead of listing values', () => {
    const { pairs, singles } = pairCurves([...series('loss', [1]), ...series('val_loss', [1.2])]);
    expect(pairs).toHaveLength(1);
    expect(singles).toEqual([]);
  });
});

describe('best epoch', () => {
  it('takes the highest value when maximizing and the lowest when minimizing, the first on a tie', () => {
    const points = series('val_acc', [0.5, 0.9, 0.9, 0.7]);
    expect(bestPoint(points, 'maximize')).toMatchObject({ step: 2, value: 0.9 });
    expect(bestPoint(points, 'minimize')).toMatchObject({ step: 1, value: 0.5 });
    expect(bestPoint([], 'maximize')).toBeNull();
  });

  it('marks that epoch on every chart, on the validation curve where it has one', () => {
    const { pairs } = pairCurves([...series('loss', [1, 0.5, 0.3]), ...series('val_loss', [1.2, 0.7, 0.9]), ...series('val_acc', [0.5, 0.8, 0.7])]);
    const best = bestPoint(pairs.find((p) => p.name === 'acc')?.validation?.points ?? [], 'maximize');
    const loss = pairs.find((p) => p.name === 'loss');
    expect(loss && markerFor(loss, best)).toEqual({ x: 2, y: 0.7 });
    expect(loss && markerFor(loss, null)).toBeNull();
  });
});

describe('model download refusal', () => {
  it("says what the scheduler said, once punctuated, or that the route is missing", async () => {
    const { modelRefusal } = await import('./downloads');
    expect(modelRefusal(404, { code: 'checkpoint_not_found', message: 'Trial x has no stored checkpoint.' })).toBe('Cannot download the model: Trial x has no stored checkpoint.');
    expect(modelRefusal(404, { code: 'route_not_found', message: 'No such route.' })).toContain('has no model export');
    expect(modelRefusal(500, null)).toBe('Cannot download the model: the scheduler answered 500.');
  });
});
