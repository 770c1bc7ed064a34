import type { RankedTrial, TrialSummary } from './trial.schema.js';

export type Goal = 'minimize' | 'maximize';

/** Whether `candidate` beats `current` under `goal`. */
export function isBetter(candidate: number, current: number | null, goal: Goal): boolean {
  if (current === null) return true;
  return goal === 'minimize' ? candidate < current : candidate > current;
}

/**
 * Orders trials for the leaderboard: scored trials best first (ties by index), then unscored
 * ones by index. Scored trials get ranks 1..n; equal scores share the rank ("1, 2, 2, 4").
 */
export function rankTrials(trials: readonly TrialSummary[], goal: Goal): RankedTrial[] {
  const scored = trials.filter((t) => t.score !== null);
  const unscored = trials.filter((t) => t.score === null).sort((a, b) => a.index - b.index);
  scored.sort((a, b) => {
    const diff = goal === 'minimize' ? a.score! - b.score! : b.score! - a.score!;
    return diff !== 0 ? diff : a.index - b.index;
  });
  const ranked: RankedTrial[] = [];
  scored.forEach((t, i) => {
    const prev = ranked[i - 1];
    const rank = prev && prev.score === t.score ? prev.rank : i + 1;
    ranked.push({ ...t, rank });
  });
  return [...ranked, ...unscored.map((t) => ({ ...t, rank: null }))];
}
