'use client';

import Link from 'next/link';
import { FINISHED_TRIAL_STATUSES, type SweepStatus, type TrialSummary } from '@ablate/contracts';
import { useState, useTransition } from 'react';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatParam } from '@/modules/shared/format';
import { cancelTrialAction } from '@/modules/sweep-control/actions/steer-sweep.action';
import { canCancelTrial } from '@/modules/sweep-control/lib/steering';
import { unreachable } from '@/modules/sweep-control/lib/unreachable';
import { TrialCurves } from '@/modules/trial/components/trial-curves';
import { useTrialCurves } from '../hooks/use-trial-curves';
import styles from './learning-curves.module.css';

interface LearningCurvesProps {
  /** The trial as the latest event left it. */
  trial: TrialSummary;
  varying: string[];
  /** Its sweep's status: a trial of a finished sweep cannot be cancelled. */
  sweepStatus: SweepStatus;
  /** The sweep's ranking metric: its best epoch is marked on every chart. */
  metric: { name: string; goal: 'minimize' | 'maximize' };
  onClose: () => void;
}

/**
 * The selected trial's curves, updated as it reports epochs: the same charts as its page (uPlot,
 * axes with ticks, train and validation of a metric together, the best epoch marked); the trial
 * can be cancelled here, and its page is a link away.
 */
export function LearningCurves({ trial, varying, sweepStatus, metric, onClose }: LearningCurvesProps) {
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
      {curves && !curves.error && <TrialCurves points={curves.points} metric={metric} finished={FINISHED_TRIAL_STATUSES.includes(trial.status)} />}
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
