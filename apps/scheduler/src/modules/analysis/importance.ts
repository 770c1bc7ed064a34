import { IMPORTANCE_BINS, type AnalysisKnob, type KnobImportance } from '@ablate/contracts';
import { valueKey, type AnalysedTrial } from './analysis-knobs.js';

/**
 * Main-effect variance share (η², the correlation ratio) of each knob: the trials are grouped by
 * the knob's value (a range knob: into IMPORTANCE_BINS quantile bins of its values), and the share
 * is Σ n_g (mean_g − mean)² / Σ (y − mean)². On a full grid this is fANOVA's first-order term of
 * the knob exactly; what no knob explains alone (interactions, seed noise) is the residual.
 * O(trials × knobs): 10,000 trials take a few milliseconds.
 */
export function importance(knobs: readonly AnalysisKnob[], trials: readonly AnalysedTrial[]): { knobs: KnobImportance[]; residual: number | null } {
  const n = trials.length;
  const mean = trials.reduce((sum, t) => sum + t.score, 0) / Math.max(1, n);
  const total = trials.reduce((sum, t) => sum + (t.score - mean) ** 2, 0);
  if (n < 2 || total <= 0) return { knobs: knobs.map((k) => ({ knob: k.name, share: 0, groups: 0 })), residual: null };
  const shares = knobs.map((knob, column) => {
    const groupOf = knob.kind === 'range' ? binner(trials.map((t) => t.values[column])) : (value: unknown) => valueKey(value);
    const groups = new Map<string, { sum: number; n: number }>();
    for (const t of trials) {
      const key = groupOf(t.values[column]);
      const g = groups.get(key) ?? { sum: 0, n: 0 };
      g.sum += t.score;
      g.n += 1;
      groups.set(key, g);
    }
    let between = 0;
    for (const g of groups.values()) between += g.n * (g.sum / g.n - mean) ** 2;
    return { knob: knob.name, share: between / total, groups: groups.size };
  });
  const explained = shares.reduce((sum, s) => sum + s.share, 0);
  return { knobs: shares.sort((a, b) => b.share - a.share), residual: Math.max(0, 1 - explained) };
}

/** Maps a range knob's value to its quantile bin (by rank among the values seen), as a group key. */
function binner(values: readonly unknown[]): (value: unknown) => string {
  const numbers = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const edges = Array.from({ length: IMPORTANCE_BINS - 1 }, (_, i) => numbers[Math.floor(((i + 1) * numbers.length) / IMPORTANCE_BINS)] ?? Infinity);
  return (value) => {
    if (typeof value !== 'number') return `other:${valueKey(value)}`;
    let bin = 0;
    while (bin < edges.length && value >= (edges[bin] ?? Infinity)) bin++;
    return `bin:${bin}`;
  };
}
