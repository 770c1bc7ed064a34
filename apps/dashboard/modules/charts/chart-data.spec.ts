import { describe, expect, it } from 'vitest';
import { alignSeries, formatTick, formatTicks } from './chart-data';

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

describe('formatTicks', () => {
  it('writes every tick of an axis at the decimals its spacing needs, so no two read the same', () => {
    // At 3 significant digits 2.265 and 2.27 both read "2.27" (a best-so-far chart showed it twice).
    expect(formatTicks([2.26, 2.265, 2.27, 2.275])).toEqual(['2.260', '2.265', '2.270', '2.275']);
    expect(formatTicks([0, 2.5, 5, 7.5])).toEqual(['0.0', '2.5', '5.0', '7.5']);
    expect(formatTicks([0.1, 0.12, 0.14, 0.16])).toEqual(['0.10', '0.12', '0.14', '0.16']);
    expect(formatTicks([1, 2, 3])).toEqual(['1', '2', '3']);
    expect(formatTicks([100, 200, 300])).toEqual(['100', '200', '300']);
  });

  it('keeps the exponent for very small or large values, and one tick as formatTick writes it', () => {
    expect(formatTicks([0.0001, 0.0002])).toEqual(['1.0e-4', '2.0e-4']);
    expect(formatTicks([0.123456])).toEqual(['0.123']);
  });
});
