'use client';

import type { MetricPoint, RankedTrial } from '@ablate/contracts';
import { formatMetric, formatParam } from '@/modules/shared/format';
import { useTrialCurves } from '../hooks/use-trial-curves';
import styles from './learning-curves.module.css';

const WIDTH = 220;
const HEIGHT = 90;
const PAD = 6;

/** Small multiples: one chart per metric of the selected trial, updated as it reports epochs. */
export function LearningCurves({ trial, varying, onClose }: { trial: RankedTrial; varying: string[]; onClose: () => void }) {
  const curves = useTrialCurves(trial.id, trial.step);
  const knobs = varying.map((key) => `${key} ${formatParam(trial.params[key])}`).join(' · ');
  return (
    <section className={styles.panel} aria-label={`Learning curves of trial ${trial.index}`} data-testid="learning-curves">
      <header className={styles.header}>
        <strong>Trial #{trial.index}</strong>
        <span className={styles.muted}>{knobs}</span>
        <button type="button" onClick={onClose} className={styles.close} aria-label="Close learning curves">
          ×
        </button>
      </header>
      {curves === null && <p className={styles.muted}>Loading…</p>}
      {curves?.error && <p role="alert">{curves.error}</p>}
      {curves && !curves.error && curves.series.size === 0 && <p className={styles.muted}>No epoch reported yet.</p>}
      <div className={styles.charts}>
        {[...(curves?.series ?? new Map<string, MetricPoint[]>())].map(([name, points]) => (
          <Chart key={name} name={name} points={points} />
        ))}
      </div>
    </section>
  );
}

function Chart({ name, points }: { name: string; points: MetricPoint[] }) {
  const steps = points.map((p) => p.step);
  const values = points.map((p) => p.value);
  const [minX, maxX] = [Math.min(...steps), Math.max(...steps)];
  const [minY, maxY] = [Math.min(...values), Math.max(...values)];
  const x = (step: number) => PAD + ((step - minX) / (maxX - minX || 1)) * (WIDTH - 2 * PAD);
  const y = (value: number) => HEIGHT - PAD - ((value - minY) / (maxY - minY || 1)) * (HEIGHT - 2 * PAD);
  const path = points.map((p) => `${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  return (
    <figure className={styles.chart}>
      <figcaption>
        {name} <span className={styles.muted}>{formatMetric(last?.value)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${name} by epoch`}>
        <polyline points={path} fill="none" stroke="var(--accent)" strokeWidth="2" />
        {points.map((p) => (
          <circle key={p.step} cx={x(p.step)} cy={y(p.value)} r="2.5" fill="var(--accent)" />
        ))}
      </svg>
    </figure>
  );
}
