import { describe, expect, it } from 'vitest';
import { alignSeries, formatTick } from './chart-data';

describe('alignSeries', () => {
  it('merges x values in order and leaves a gap where a series has no point', () => {
    const data = alignSeries([
      { label: 'loss', points: [{ x: 2, y: 0.5 }, { x: 1, y: 0.9 }, { x: 3, y: 0.3 }] },
      { label: 'val_loss', points: [{ x: 1, y: 1 }, { x: 3, y: 0.4 }] },
    ]);
    expect(data).toEqual([
      [1, 2, 3],
      [0.9, 0.5, 0.3],
      [1, null, 0.4],
    ]);
  });

  it('gives an empty axis for no series', () => {
    expect(alignSeries([])).toEqual([[]]);
  });
});

describe('formatTick', () => {
  it('keeps three significant digits and switches to an exponent at the extremes', () => {
    expect(formatTick(0.123456)).toBe('0.123');
    expect(formatTick(12)).toBe('12');
    expect(formatTick(0.0001)).toBe('1.0e-4');
    expect(formatTick(0)).toBe('0');
  });
});
