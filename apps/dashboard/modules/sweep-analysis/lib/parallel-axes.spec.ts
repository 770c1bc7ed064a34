import type { AnalysisKnob } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { parallelAxes, toAxisValues } from './parallel-axes';

const knobs: AnalysisKnob[] = [
  { name: 'dropout', kind: 'discrete', values: [0, 0.3], baseline: 0 },
  { name: 'batchNorm', kind: 'discrete', values: [false, true], baseline: false },
  { name: 'learningRate', kind: 'range', values: [], baseline: null },
];

describe('parallelAxes', () => {
  it('lists a discrete knob as categories in spec order, a log-uniform range on a log axis, the score last', () => {
    expect(parallelAxes(knobs, { learningRate: { loguniform: { min: 1e-4, max: 1e-1 } } }, 'val_acc')).toEqual([
      { name: 'dropout', categories: ['0', '0.3'] },
      { name: 'batchNorm', categories: ['false', 'true'] },
      { name: 'learningRate', log: true },
      { name: 'val_acc' },
    ]);
    expect(parallelAxes(knobs.slice(2), { learningRate: { uniform: { min: 0, max: 1 } } }, 'loss')[0]).toEqual({ name: 'learningRate', log: false });
  });

  it('writes a line\'s category values as the axis lists them, numbers as they are', () => {
    expect(toAxisValues(knobs, [0.3, true, 0.001, 0.72])).toEqual(['0.3', 'true', 0.001, 0.72]);
    expect(toAxisValues(knobs, [0, false, 'oops', 0.5])).toEqual(['0', 'false', null, 0.5]);
  });
});
