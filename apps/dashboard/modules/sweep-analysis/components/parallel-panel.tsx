'use client';

import { MAX_PARALLEL_LINES, type ParameterSpace, type SweepAnalysis } from '@ablate/contracts';
import { useMemo } from 'react';
import { ParallelCoordinates } from '@/modules/charts/parallel-coordinates';
import { parallelAxes, toAxisValues } from '../lib/parallel-axes';
import styles from './analysis.module.css';

/** Every completed trial as a line through its knob values to its score (sampled past 10,000, and said so). */
export function ParallelPanel({ analysis, parameters }: { analysis: SweepAnalysis; parameters: Record<string, ParameterSpace> }) {
  const { parallel, metric } = analysis;
  const axes = useMemo(() => parallelAxes(analysis.knobs, parameters, metric.name), [analysis.knobs, parameters, metric.name]);
  const lines = useMemo(() => parallel.lines.map((line) => toAxisValues(analysis.knobs, line)), [parallel.lines, analysis.knobs]);
  return (
    <section className={styles.block} aria-labelledby="parallel-title" data-testid="parallel">
      <h3 id="parallel-title" className={styles.title}>Parallel coordinates</h3>
      <p className={styles.note} data-testid="parallel-note">
        {parallel.sampled
          ? `${parallel.lines.length.toLocaleString('en')} of ${parallel.total.toLocaleString('en')} completed trials, an even sample by rank (at most ${MAX_PARALLEL_LINES.toLocaleString('en')} lines are drawn).`
          : `${parallel.total} completed trials, one line each, coloured by ${metric.name}.`}
      </p>
      {parallel.lines.length === 0 || analysis.knobs.length === 0 ? (
        <p className={styles.muted}>{analysis.knobs.length === 0 ? 'This sweep varies no knob.' : 'Lines appear as trials complete.'}</p>
      ) : (
        <ParallelCoordinates axes={axes} lines={lines} goal={metric.goal} title={`Knob values and ${metric.name} of each completed trial`} />
      )}
    </section>
  );
}
