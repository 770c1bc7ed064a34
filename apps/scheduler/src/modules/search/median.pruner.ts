import type { MedianPrunerSpec } from '@ablate/contracts';
import { median } from 'simple-statistics';
import { CONTINUE, type PrunedMetric, type PrunerVerdict } from './pruning.types.js';

/** The median pruner's knobs with defaults filled in (see `MedianPrunerSpec`). */
export type MedianOptions = Pick<MedianPrunerSpec, 'warmupSteps' | 'minTrials'>;

/** The reporting trial: the step it reached and its best value of the metric so far. */
export interface MedianTrial {
  step: number;
  best: number;
}

/**
 * Median stopping (Optuna's MedianPruner, Google Vizier's median rule): a trial whose best value
 * so far is worse than the median of the other trials' best values at the same step is pruned,
 * once it is past `warmupSteps` and at least `minTrials` others reached that step. `peers` are
 * those others' best values up to this step, from every trial that got there (running, finished
 * or pruned: Optuna counts only completed trials, which leaves an asynchronous sweep with no
 * peers for long). Pure; O(peers) per report (quickselect median).
 */
export function medianVerdict(options: MedianOptions, metric: PrunedMetric, trial: MedianTrial, peers: readonly number[]): PrunerVerdict {
  if (trial.step <= options.warmupSteps || peers.length < options.minTrials) return CONTINUE;
  const m = median([...peers]);
  const worse = metric.goal === 'minimize' ? trial.best > m : trial.best < m;
  if (!worse) return CONTINUE;
  return {
    decision: 'prune',
    reason: `best ${metric.name} so far (${trial.best}) is ${metric.goal === 'minimize' ? 'above' : 'below'} the median ${m} of ${peers.length} other trials at step ${trial.step}`,
    promote: [],
  };
}
