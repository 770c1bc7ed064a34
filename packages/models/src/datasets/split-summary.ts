import type { ImageSet } from './image-set.js';

/**
 * Three log lines at the start of a trial (they reach the trial's log on the dashboard): what data
 * it trains on, images per class in each split, and the split sizes.
 */
export function logSplitSummary(
  log: ((line: string) => void) | undefined, what: string,
  s: { train: ImageSet; validation: ImageSet; test: ImageSet; classNames: string[] },
): void {
  if (!log) return;
  const sets = [s.train, s.validation, s.test];
  const counts = sets.map((set) => {
    const c = new Array<number>(s.classNames.length).fill(0);
    for (const label of set.labels) c[label] = (c[label] ?? 0) + 1;
    return c;
  });
  log(`data: ${what}; ${s.classNames.length} classes`);
  log(`images per class (train/validation/test): ${s.classNames.map((name, i) => `${name} ${counts.map((c) => c[i]).join('/')}`).join(', ')}`);
  log(`split sizes: train ${s.train.count}, validation ${s.validation.count}, test ${s.test.count}`);
}
