import { describe, expect, it } from 'vitest';
import { describeBaseline, formatDelta, formatMeanStd, formatShare, rowLabel, verdict } from './describe-analysis';
import { stepPoints } from './step-points';

describe('describe-analysis', () => {
  it('labels the baseline and each knob row', () => {
    expect(rowLabel({ knob: null, value: null })).toBe('baseline');
    expect(rowLabel({ knob: 'batchNorm', value: true })).toBe('batchNorm = true');
    expect(describeBaseline({ dropout: 0, batchNorm: false })).toBe('dropout 0 · batchNorm false');
    expect(describeBaseline({})).toBe('no knob with listed values');
  });

  it('says better or worse by the goal: a higher accuracy is better, a higher loss worse', () => {
    expect(verdict({ knob: 'dropout', delta: 0.06 }, 'maximize')).toBe('better');
    expect(verdict({ knob: 'dropout', delta: 0.06 }, 'minimize')).toBe('worse');
    expect(verdict({ knob: 'dropout', delta: -0.01 }, 'minimize')).toBe('better');
    expect(verdict({ knob: null, delta: 0 }, 'maximize')).toBeNull();
    expect(verdict({ knob: 'x', delta: null }, 'maximize')).toBeNull();
  });

  it('formats deltas, mean ± std and shares', () => {
    expect(formatDelta(0.06)).toBe('+0.06');
    expect(formatDelta(-0.09)).toBe('−0.09');
    expect(formatDelta(0)).toBe('±0');
    expect(formatMeanStd(0.58, 0.0283)).toBe('0.5800 ± 0.0283');
    expect(formatMeanStd(1234.5, 12.345)).toBe('1234.5 ± 12.3'); // 1 decimal at 1000 and above
    expect(formatMeanStd(3, 0.5)).toBe('3 ± 0.5000'); // a whole mean: the std at 4 significant digits
    expect(formatMeanStd(0.58, null)).toBe('0.5800');
    expect(formatMeanStd(null, null)).toBe('—');
    expect(formatShare(0.608)).toBe('61%');
    expect(formatShare(0.0703)).toBe('7.0%');
  });
});

describe('stepPoints', () => {
  it('holds the previous best until the trial that beat it', () => {
    expect(stepPoints([[1, 0.5], [3, 0.7], [4, 0.7]])).toEqual([{ x: 1, y: 0.5 }, { x: 2, y: 0.5 }, { x: 3, y: 0.7 }, { x: 4, y: 0.7 }]);
    expect(stepPoints([[1, 0.5], [2, 0.6]])).toEqual([{ x: 1, y: 0.5 }, { x: 2, y: 0.6 }]);
  });
});
