'use client';

import type { SweepAnalysis } from '@ablate/contracts';
import { useMemo } from 'react';
import { LineChart, type ChartSeries } from '@/modules/charts/line-chart';
import { formatMetric } from '@/modules/shared/format';
import styles from './analysis.module.css';

/** Points drawn at most: a 10,000-trial curve is thinned to this many steps (the best value only changes at a few). */
const MAX_POINTS = 2_000;

/** The best score after each finished trial, in the order they finished. */
export function BestSoFarChart({ analysis }: { analysis: SweepAnalysis }) {
  const { best } = analysis.bestSoFar;
  const series = useMemo<ChartSeries[]>(() => [{ label: `best ${analysis.metric.name} so far`, points: thin(best) }], [best, analysis.metric.name]);
  const last = best.at(-1);
  return (
    <section className={styles.block} aria-labelledby="best-title" data-testid="best-so-far">
      <h3 id="best-title" className={styles.title}>Best so far</h3>
      <p className={styles.note}>
        {best.length === 0 ? 'No trial has finished yet.' : `${formatMetric(last)} after ${best.length} finished trials (completed and pruned, in the order they finished).`}
      </p>
      {best.length > 0 && <LineChart series={series} xLabel="trials finished" yLabel={analysis.metric.name} title={`Best ${analysis.metric.name} so far by trials finished`} height={200} />}
    </section>
  );
}

/** Every point where the best changes, the last one, and an even spread of the rest up to MAX_POINTS. */
function thin(best: readonly number[]): { x: number; y: number }[] {
  const stride = Math.max(1, Math.ceil(best.length / MAX_POINTS));
  return best.flatMap((y, i) => (i % stride === 0 || i === best.length - 1 || y !== best[i - 1] ? [{ x: i + 1, y }] : []));
}
