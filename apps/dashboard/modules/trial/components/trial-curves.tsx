'use client';

import type { MetricPoint } from '@ablate/contracts';
import { useMemo } from 'react';
import { LineChart, type ChartSeries } from '@/modules/charts/line-chart';
import { formatMetric } from '@/modules/shared/format';
import { bestPoint, markerFor, pairCurves, seriesByName, type CurvePair } from '../lib/curves';
import styles from './trial.module.css';

interface TrialCurvesProps {
  points: readonly MetricPoint[];
  /** The trial has ended: no epoch will come any more. */
  finished: boolean;
  /** The sweep's ranking metric: its best epoch is marked on every chart. */
  metric: { name: string; goal: 'minimize' | 'maximize' };
}

/** One chart per metric with training (dashed) and validation together, the best epoch marked; one-off metrics as values. */
export function TrialCurves({ points, metric, finished }: TrialCurvesProps) {
  const { pairs, singles } = useMemo(() => pairCurves(points), [points]);
  const best = useMemo(() => bestPoint(seriesByName(points).get(metric.name) ?? [], metric.goal), [points, metric.name, metric.goal]);
  if (points.length === 0) {
    return (
      <p className={styles.muted}>
        {finished ? 'It ended before reporting an epoch, so there are no curves.' : 'No epoch reported yet: the curves appear here as soon as the worker reports the first one.'}
      </p>
    );
  }
  return (
    <div className={styles.curves}>
      {(singles.length > 0 || best) && (
        <dl className={styles.values} data-testid="single-values">
          {best && (
            <div className={styles.value}>
              <dt>best {metric.name}</dt>
              <dd>
                {formatMetric(best.value)} <span className={styles.muted}>@ epoch {best.step}</span>
              </dd>
            </div>
          )}
          {singles.map((s) => (
            <div key={s.name} className={styles.value} data-testid={`value-${s.name}`}>
              <dt>{s.name}</dt>
              <dd>
                {formatMetric(s.value)} <span className={styles.muted}>@ epoch {s.step}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className={styles.charts}>
        {pairs.map((pair) => (
          <PairChart key={pair.name} pair={pair} best={best} metricName={metric.name} />
        ))}
      </div>
    </div>
  );
}

function PairChart({ pair, best, metricName }: { pair: CurvePair; best: MetricPoint | null; metricName: string }) {
  const series = useMemo(() => {
    const list: ChartSeries[] = [];
    if (pair.train) list.push({ label: pair.validation ? `${pair.train.name} (train)` : pair.train.name, points: pair.train.points.map((p) => ({ x: p.step, y: p.value })), colorIndex: 0, dashed: pair.validation !== null });
    if (pair.validation) list.push({ label: pair.train ? `${pair.validation.name} (validation)` : pair.validation.name, points: pair.validation.points.map((p) => ({ x: p.step, y: p.value })), colorIndex: 1 });
    return list;
  }, [pair]);
  const at = markerFor(pair, best);
  const marker = at && best ? { ...at, label: `best epoch ${best.step} (${metricName} ${formatMetric(best.value)})` } : null;
  return (
    <div className={styles.chartCard} data-testid={`curve-${pair.name}`}>
      <h3 className={styles.chartTitle}>{pair.name}</h3>
      <LineChart series={series} xLabel="epoch" yLabel={pair.name} title={`${pair.name} by epoch`} marker={marker} height={220} />
    </div>
  );
}
