import { MAX_PARALLEL_LINES, isBetter, type Goal, type SweepAnalysis } from '@ablate/contracts';
import type { AnalysedTrial } from './analysis-knobs.js';

/**
 * One line per completed trial (knob values, then the score), best first. Past `max` lines the
 * ranking is sampled evenly (every k-th trial by rank, the best always kept), so the plot keeps the
 * shape of the whole sweep at a bounded cost; `sampled` says so.
 */
export function parallelLines(trials: readonly AnalysedTrial[], goal: Goal, max = MAX_PARALLEL_LINES): SweepAnalysis['parallel'] {
  const ranked = [...trials].sort((a, b) => (a.score === b.score ? a.index - b.index : isBetter(a.score, b.score, goal) ? -1 : 1));
  const sampled = ranked.length > max;
  const kept = sampled ? Array.from({ length: max }, (_, i) => ranked[Math.floor((i * ranked.length) / max)]!) : ranked;
  return { lines: kept.map((t) => [...t.values, t.score]), total: trials.length, sampled };
}
