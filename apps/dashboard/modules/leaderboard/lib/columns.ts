import { metricNames, type ParameterSpace, type SweepDetail } from '@ablate/contracts';
import { formatMetric, formatParam } from '@/modules/shared/format';

export interface LeaderboardColumns {
  /** Params the sweep varies, in spec order: the columns a reader compares. */
  varying: string[];
  /** Params that are the same for every trial, shown last. */
  fixed: string[];
  /** Metrics shown, the ranking metric first. */
  metrics: string[];
}

/** Whether a space gives trials different values: a list or choice of several, any range, or a condition. */
function varies(space: ParameterSpace): boolean {
  if (space.when !== undefined) return true;
  if ('values' in space) return new Set(space.values).size > 1;
  if ('categorical' in space) return space.categorical.values.length > 1;
  return !('value' in space);
}

/**
 * Columns come from the spec, not the trials, so they stay put while 10,000 rows stream in. With
 * repeats, `seed` varies between a configuration's runs: a column in the per-trial table, never in
 * the grouped one (`grouped`), whose rows stand for every seed.
 */
export function leaderboardColumns(
  sweep: Pick<SweepDetail['sweep'], 'spec' | 'template' | 'metric'>,
  /** Param keys of any one trial (the template's params, defaults filled in). */
  trialParamKeys: readonly string[],
  grouped = false,
): LeaderboardColumns {
  const varying = Object.entries(sweep.spec.parameters)
    .filter(([, space]) => varies(space))
    .map(([key]) => key);
  if ((sweep.spec.repeats ?? 1) > 1 && !varying.includes('seed')) varying.push('seed');
  const shown = grouped ? varying.filter((key) => key !== 'seed') : varying;
  const fixed = trialParamKeys.filter((key) => !varying.includes(key));
  const metrics = [sweep.metric.name, ...metricNames(sweep.template).filter((name) => name !== sweep.metric.name)];
  return { varying: shown, fixed, metrics };
}

/** `constant: epochs 3, batchSize 64, …`: the params every trial shares, in one line above the table instead of a column each. */
export function constantLine(fixed: readonly string[], params: Readonly<Record<string, unknown>> | undefined): string {
  if (!params || fixed.length === 0) return '';
  return `constant: ${fixed.map((key) => `${key} ${formatParam(params[key])}`).join(', ')}`;
}

/** `0.91 @ epoch 7`: the score and the epoch it is the best of (when the scheduler says which). */
export function formatScore(score: number | null, scoreStep: number | null | undefined): string {
  if (score === null) return '—';
  return scoreStep === null || scoreStep === undefined ? formatMetric(score) : `${formatMetric(score)} @ epoch ${scoreStep}`;
}
