import { isBetter, type Goal, type SweepAnalysis } from '@ablate/contracts';

/**
 * The best score after each finished trial (`scores` in finish order), as the points where it
 * improved plus the last one: a step curve that 10,000 trials send in a few hundred bytes.
 */
export function bestSoFar(scores: readonly number[], goal: Goal): SweepAnalysis['bestSoFar'] {
  const points: [number, number][] = [];
  let current: number | null = null;
  scores.forEach((score, i) => {
    if (current !== null && !isBetter(score, current, goal)) return;
    current = score;
    points.push([i + 1, score]);
  });
  const last = points.at(-1);
  if (current !== null && last && last[0] !== scores.length) points.push([scores.length, current]);
  return { finished: scores.length, points };
}
