import { configurationKey, type Goal } from '@ablate/contracts';
import type { Observation } from './search.types.js';

/** A configuration's outcome: its repeats grouped and scored by their mean. */
export interface ConfigurationResult {
  /** Params of its first finished repeat (the seed aside, all repeats share them). */
  params: Readonly<Record<string, unknown>>;
  /** Mean of its repeats' scores. */
  score: number;
  /** True if any repeat was pruned: it ranks below every configuration that completed. */
  pruned: boolean;
  /** Fewest steps a pruned repeat reached (a configuration pruned later ranks higher). */
  step: number;
}

/**
 * Groups finished trials into configurations (repeats share a `configurationKey`), in the order
 * they first appear. Failed, cancelled and unscored trials say nothing about the params and are
 * left out. O(history).
 */
export function groupConfigurations(history: readonly Observation[]): ConfigurationResult[] {
  const groups = new Map<string, { params: Readonly<Record<string, unknown>>; scores: number[]; pruned: boolean; step: number }>();
  for (const o of history) {
    if ((o.status !== 'completed' && o.status !== 'pruned') || o.score === null) continue;
    const key = configurationKey(o.params);
    const g = groups.get(key) ?? { params: o.params, scores: [], pruned: false, step: Infinity };
    g.scores.push(o.score);
    if (o.status === 'pruned') {
      g.pruned = true;
      g.step = Math.min(g.step, o.step);
    }
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ params: g.params, score: g.scores.reduce((a, b) => a + b, 0) / g.scores.length, pruned: g.pruned, step: g.step }));
}

/** How many configurations count as good out of n: ceil(gamma·n), at most 25 (Optuna's default gamma). */
export function goodCount(n: number, gamma: number): number {
  return Math.min(Math.ceil(gamma * n), 25);
}

/**
 * Splits configurations into good and bad as Optuna's TPE does: completed ones best first, then
 * pruned ones by how far they got and then by score; the first `goodCount` are good. Both halves
 * keep creation order, which the observation weights depend on.
 */
export function splitGoodBad(results: readonly ConfigurationResult[], gamma: number, goal: Goal): { good: ConfigurationResult[]; bad: ConfigurationResult[] } {
  const sign = goal === 'minimize' ? 1 : -1;
  const ranked = results
    .map((r, order) => ({ r, order }))
    .sort((a, b) => {
      if (a.r.pruned !== b.r.pruned) return a.r.pruned ? 1 : -1;
      if (a.r.pruned && a.r.step !== b.r.step) return b.r.step - a.r.step;
      return sign * (a.r.score - b.r.score) || a.order - b.order;
    });
  const n = goodCount(results.length, gamma);
  const byOrder = (xs: typeof ranked) => xs.sort((a, b) => a.order - b.order).map((x) => x.r);
  return { good: byOrder(ranked.slice(0, n)), bad: byOrder(ranked.slice(n)) };
}
