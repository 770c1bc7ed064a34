'use client';

import type { SweepDetail, SweepSummary } from '@ablate/contracts';
import { useOptimistic, useState, useTransition } from 'react';
import type { ConnectionState } from '@/modules/scheduler/live-socket';
import { ConnectionBadge } from '@/modules/shared/components/connection-badge';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { SweepProgress } from '@/modules/sweeps/components/sweep-progress';
import { steerSweepAction } from '../actions/steer-sweep.action';
import { unreachable } from '../lib/unreachable';
import { ACTIONS, type SweepAction } from '../lib/steering';
import { SweepControls } from './sweep-controls';
import styles from './sweep-status-bar.module.css';

interface SweepStatusBarProps {
  sweep: SweepDetail['sweep'];
  connection: ConnectionState;
  /** A steering call's answer: the sweep as the scheduler left it. */
  onSweep: (sweep: SweepSummary) => void;
}

/**
 * The sweep's status (with why, when it has a reason), progress and the steering buttons. A click
 * shows the expected status at once (optimistic) until the scheduler answers; a refusal puts the
 * real status back and says why.
 */
export function SweepStatusBar({ sweep, connection, onSweep }: SweepStatusBarProps) {
  const [status, setExpected] = useOptimistic(sweep.status);
  const [pending, setPending] = useState<SweepAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const steer = (action: SweepAction) => {
    if (action === 'cancel' && !window.confirm('Cancel this sweep? Every trial that has not finished stops now.')) return;
    setError(null);
    setPending(action);
    startTransition(async () => {
      setExpected(ACTIONS[action].expected);
      const result = await steerSweepAction(sweep.id, action).catch(unreachable);
      if (result.ok) onSweep(result.sweep);
      else setError(result.message);
      setPending(null);
    });
  };
  const failed = status === 'failed';
  return (
    <div className={styles.bar}>
      <span data-testid="sweep-status" data-status={status} data-optimistic={status !== sweep.status || undefined}>
        <StatusBadge status={status} />
      </span>
      {sweep.reason && (
        <span className={failed ? styles.failure : styles.reason} data-testid="sweep-reason" role={failed ? 'alert' : undefined}>
          {sweep.reason}
        </span>
      )}
      <SweepProgress sweep={sweep} />
      <span className={styles.metric}>
        ranked by <strong>{sweep.metric.name}</strong> ({sweep.metric.goal === 'maximize' ? 'higher is better' : 'lower is better'})
      </span>
      <ConnectionBadge state={connection} />
      <SweepControls status={status} pending={pending} onAction={steer} />
      {error && (
        <p className={styles.error} role="alert" data-testid="steer-error">
          {error}
        </p>
      )}
    </div>
  );
}
