import type { AnalysisKnob, ParameterSpace } from '@ablate/contracts';
import type { ParallelAxis } from '@/modules/charts/parallel-option';
import { formatParam } from '@/modules/shared/format';

/**
 * The axes of the parallel-coordinates plot: a discrete knob is a category axis with its values in
 * spec order (0 and 0.3 evenly spaced, booleans as words), a range knob a value axis (log for a
 * log-uniform one), and the score last.
 */
export function parallelAxes(knobs: readonly AnalysisKnob[], parameters: Record<string, ParameterSpace>, metric: string): ParallelAxis[] {
  const axes = knobs.map((knob): ParallelAxis => {
    if (knob.kind === 'discrete') return { name: knob.name, categories: knob.values.map((v) => (typeof v === 'number' ? String(v) : formatParam(v))) };
    const space = parameters[knob.name];
    return { name: knob.name, log: space !== undefined && 'loguniform' in space };
  });
  return [...axes, { name: metric }];
}

/** A line's values as the axes expect them: category values as the same strings the axis lists. */
export function toAxisValues(knobs: readonly AnalysisKnob[], line: readonly unknown[]): (number | string | null)[] {
  return line.map((value, i) => {
    const knob = knobs[i];
    if (knob?.kind === 'discrete') return typeof value === 'number' ? String(value) : formatParam(value);
    return typeof value === 'number' ? value : null;
  });
}
