import { isBetter, type Goal } from '@ablate/contracts';

/** The best score after each finished trial, in the order they finished (`scores` already in that order). */
export function bestSoFar(scores: readonly number[], goal: Goal): { scores: number[]; best: number[] } {
  const best: number[] = [];
  let current: number | null = null;
  for (const score of scores) {
    if (current === null || isBetter(score, current, goal)) current = score;
    best.push(current);
  }
  return { scores: [...scores], best };
}
