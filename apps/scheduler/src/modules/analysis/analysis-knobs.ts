import type { AnalysisKnob, ParameterSpace } from '@ablate/contracts';

/** A knob value as the analysis compares it: JSON-like scalars. */
export type KnobValue = AnalysisKnob['values'][number];

/** A trial as the analysis reads it: its knob values in `knobs` order. */
export interface AnalysedTrial {
  index: number;
  status: string;
  score: number;
  /** Values of the candidate knobs, in the order the spec lists them. */
  values: KnobValue[];
}

/** A range knob with at most this many distinct values seen is treated as discrete. */
const MAX_DISCRETE_SEEN = 12;

/** Spec params that give trials different values; `seed` is the noise repeats average over, never a knob. */
export function candidateKnobs(parameters: Record<string, ParameterSpace>): string[] {
  return Object.entries(parameters)
    .filter(([name, space]) => name !== 'seed' && varies(space))
    .map(([name]) => name);
}

function varies(space: ParameterSpace): boolean {
  if (space.when !== undefined) return true;
  if ('values' in space) return new Set(space.values).size > 1;
  if ('categorical' in space) return space.categorical.values.length > 1;
  return !('value' in space);
}

/** The values a space lists, in spec order (the first is the baseline); none for a range. */
function listed(space: ParameterSpace): KnobValue[] {
  if ('values' in space) return space.values;
  if ('categorical' in space) return space.categorical.values;
  return [];
}

/** Stable identity of a value (1 and 1.0 are one value; "1" is another). */
export const valueKey = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * Describes each knob: discrete when the spec lists values (or a range produced few distinct
 * ones), with its values in spec order then any others seen, and its baseline: the first value the
 * spec lists. A range knob has no baseline: the ablation table skips it.
 */
export function describeKnobs(names: string[], parameters: Record<string, ParameterSpace>, trials: readonly AnalysedTrial[]): AnalysisKnob[] {
  return names.map((name, column) => {
    const space = parameters[name];
    const spec = space ? listed(space) : [];
    const seen = new Map<string, KnobValue>();
    for (const value of spec) seen.set(valueKey(value), value);
    for (const t of trials) {
      const value = t.values[column] ?? null;
      if (!seen.has(valueKey(value))) seen.set(valueKey(value), value);
      if (spec.length === 0 && seen.size > MAX_DISCRETE_SEEN) break;
    }
    if (spec.length === 0 && seen.size > MAX_DISCRETE_SEEN) return { name, kind: 'range', values: [], baseline: null };
    const values = [...seen.values()];
    if (spec.length === 0) values.sort(compareValues);
    return { name, kind: 'discrete', values, baseline: spec[0] ?? null };
  });
}

/** Numbers by value, then anything else by its JSON. */
export function compareValues(a: KnobValue, b: KnobValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return valueKey(a) < valueKey(b) ? -1 : valueKey(a) > valueKey(b) ? 1 : 0;
}
