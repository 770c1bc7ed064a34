'use client';

import Link from 'next/link';
import type { MetricPoint, SweepStatus, TrialSummary } from '@ablate/contracts';
import { useState, useTransition } from 'react';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatMetric, formatParam } from '@/modules/shared/format';
import { cancelTrialAction } from '@/modules/sweep-control/actions/steer-sweep.action';
import { canCancelTrial } from '@/modules/sweep-control/lib/steering';
import { unreachable } from '@/modules/sweep-control/lib/unreachable';
import { useTrialCurves } from '../hooks/use-trial-curves';
import styles from './learning-curves.module.css';

const WIDTH = 220;
const HEIGHT = 90;
const PAD = 6;

interface LearningCurvesProps {
  /** The trial as the latest event left it. */
  trial: TrialSummary;
  varying: string[];
  /** Its sweep's status: a trial of a finished sweep cannot be cancelled. */
  sweepStatus: SweepStatus;
  onClose: () => void;
}

/** Small multiples: one chart per metric of the selected trial, updated as it reports epochs; the trial can be cancelled here, and its page is a link away. */
export function LearningCurves({ trial, varying, sweepStatus, onClose }: LearningCurvesProps) {
  const curves = useTrialCurves(trial.id, trial.step);
  const knobs = varying.map((key) => `${key} ${formatParam(trial.params[key])}`).join(' · ');
  const why = trial.statusReason ?? trial.error;
  return (
    <section className={styles.panel} aria-label={`Learning curves of trial ${trial.index}`} data-testid="learning-curves">
      <header className={styles.header}>
        <strong>Trial #{trial.index}</strong>
        <Link href={`/trials/${trial.id}`} data-testid="open-trial-page">open its page</Link>
        <StatusBadge status={trial.status} />
        <span className={styles.muted}>{knobs}</span>
        {canCancelTrial(trial.status, sweepStatus) && <CancelTrialButton trialId={trial.id} />}
        <button type="button" onClick={onClose} className={styles.close} aria-label="Close learning curves">
          ×
        </button>
      </header>
      {why && (
        <p className={styles.reason} data-testid="trial-reason">
          {why}
        </p>
      )}
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

/** Stops one trial (its worker is told within seconds); the row's status follows the push. */
function CancelTrialButton({ trialId }: { trialId: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const cancel = () => {
    if (!window.confirm('Cancel this trial? Its worker stops it now.')) return;
    startTransition(async () => {
      const result = await cancelTrialAction(trialId).catch(unreachable);
      setError(result.ok ? null : result.message);
    });
  };
  return (
    <span className={styles.actions}>
      <button type="button" onClick={cancel} disabled={pending}>
        {pending ? 'Cancelling…' : 'Cancel trial'}
      </button>
      {error && <span role="alert">{error}</span>}
    </span>
  );
}

/** A sparkline per metric; the full view (axes, train and validation together, the best epoch marked) is the trial's page. */
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
