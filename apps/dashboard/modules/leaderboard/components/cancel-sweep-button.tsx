'use client';

import { useState, useTransition } from 'react';
import { cancelSweepAction } from '../actions/cancel-sweep.action';
import styles from './leaderboard-live.module.css';

/** Stops a queued or running sweep: trials not yet finished are cancelled. */
export function CancelSweepButton({ sweepId }: { sweepId: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const cancel = () => {
    if (!window.confirm('Cancel this sweep? Trials that have not finished will stop.')) return;
    startTransition(async () => setError(await cancelSweepAction(sweepId)));
  };
  return (
    <span className={styles.cancel}>
      <button type="button" onClick={cancel} disabled={pending}>
        {pending ? 'Cancelling…' : 'Cancel sweep'}
      </button>
      {error && <span role="alert">{error}</span>}
    </span>
  );
}
