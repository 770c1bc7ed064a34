import { metricNames, type SweepDetail } from '@ablate/contracts';

export interface LeaderboardColumns {
  /** Params the grid varies, in spec order: the columns a reader compares. */
  varying: string[];
  /** Params that are the same for every trial, shown last. */
  fixed: string[];
  /** Metrics shown, the ranking metric first. */
  metrics: string[];
}

/** Columns come from the spec, not the trials, so they stay put while 10,000 rows stream in. */
export function leaderboardColumns(
  sweep: Pick<SweepDetail['sweep'], 'spec' | 'template' | 'metric'>,
  /** Param keys of any one trial (the template's params, defaults filled in). */
  trialParamKeys: readonly string[],
): LeaderboardColumns {
  const varying = Object.entries(sweep.spec.parameters)
    .filter(([, space]) => 'values' in space && new Set(space.values).size > 1)
    .map(([key]) => key);
  const fixed = trialParamKeys.filter((key) => !varying.includes(key));
  const metrics = [sweep.metric.name, ...metricNames(sweep.template).filter((name) => name !== sweep.metric.name)];
  return { varying, fixed, metrics };
}
