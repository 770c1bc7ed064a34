import type { SearchMethod, SweepSpecInput } from '@ablate/contracts';

/** The search part of the "New sweep" form, as typed. */
export interface SearchFormValues {
  method: SearchMethod;
  /** Sampler seed (random, TPE); empty for the default. */
  seed: string;
  /** Trials in all; required for random and TPE, caps a grid; empty for none. */
  maxTrials: string;
  /** Runs per configuration, with seeds 1..N. */
  repeats: string;
  pruner: 'none' | 'median' | 'asha';
}

export const INITIAL_SEARCH: SearchFormValues = { method: 'grid', seed: '', maxTrials: '', repeats: '1', pruner: 'none' };

/** A typed number, or the text itself so the scheduler names the field when it is not one. */
function numberOrText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return (Number.isFinite(n) ? n : trimmed) as number;
}

/** The spec's search fields; defaults are left out, so a plain grid's spec is what it always was. */
export function searchSpec(values: SearchFormValues): Partial<SweepSpecInput> {
  const spec: Partial<SweepSpecInput> = {};
  if (values.method !== 'grid') spec.method = values.method;
  const seed = numberOrText(values.seed);
  if (seed !== undefined) spec.seed = seed;
  const maxTrials = numberOrText(values.maxTrials);
  if (maxTrials !== undefined) spec.maxTrials = maxTrials;
  const repeats = numberOrText(values.repeats);
  if (repeats !== undefined && repeats !== 1) spec.repeats = repeats;
  if (values.pruner !== 'none') spec.pruner = { type: values.pruner };
  return spec;
}

/** Trials the sweep will run: the grid (times repeats, capped at maxTrials), or maxTrials for a search. */
export function plannedTrials(values: SearchFormValues, gridSize: number): number | null {
  const maxTrials = Number(values.maxTrials);
  const cap = values.maxTrials.trim() !== '' && Number.isInteger(maxTrials) && maxTrials > 0 ? maxTrials : null;
  if (values.method !== 'grid') return cap;
  const repeats = Number(values.repeats);
  const total = gridSize * (Number.isInteger(repeats) && repeats > 0 ? repeats : 1);
  return cap === null ? total : Math.min(cap, total);
}
