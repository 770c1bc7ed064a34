'use client';

import type { SweepAnalysis } from '@ablate/contracts';
import { useMemo } from 'react';
import { LineChart, type ChartSeries } from '@/modules/charts/line-chart';
import { formatMetric } from '@/modules/shared/format';
import { stepPoints } from '../lib/step-points';
import styles from './analysis.module.css';

/** The best score after each finished trial, in the order they finished. */
export function BestSoFarChart({ analysis }: { analysis: SweepAnalysis }) {
  const { finished, points } = analysis.bestSoFar;
  const series = useMemo<ChartSeries[]>(() => [{ label: `best ${analysis.metric.name} so far`, points: stepPoints(points) }], [points, analysis.metric.name]);
  const last = points.at(-1)?.[1];
  return (
    <section className={styles.block} aria-labelledby="best-title" data-testid="best-so-far">
      <h3 id="best-title" className={styles.title}>Best so far</h3>
      <p className={styles.note}>
        {finished === 0 ? 'No trial has finished yet.' : `${formatMetric(last)} after ${finished} finished trials (completed and pruned, in the order they finished).`}
      </p>
      {finished > 0 && <LineChart series={series} xLabel="trials finished" yLabel={analysis.metric.name} title={`Best ${analysis.metric.name} so far by trials finished`} height={200} />}
    </section>
  );
}
