'use client';

import type { SweepStatus } from '@ablate/contracts';
import { ACTIONS, canSteer, type SweepAction } from '../lib/steering';
import styles from './sweep-controls.module.css';

const ORDER: SweepAction[] = ['pause', 'resume', 'stop', 'cancel'];

interface SweepControlsProps {
  /** The status shown (optimistic while a call is in flight). */
  status: SweepStatus;
  /** The action in flight, if any: every button waits for it. */
  pending: SweepAction | null;
  onAction: (action: SweepAction) => void;
}

/** Pause, resume, stop and cancel; each enabled only where the scheduler accepts it. */
export function SweepControls({ status, pending, onAction }: SweepControlsProps) {
  return (
    <div className={styles.controls} role="group" aria-label="Steer the sweep">
      {ORDER.map((action) => {
        const info = ACTIONS[action];
        return (
          <button
            key={action}
            type="button"
            className={action === 'cancel' ? styles.danger : undefined}
            title={info.hint}
            disabled={pending !== null || !canSteer(action, status)}
            aria-busy={pending === action}
            onClick={() => onAction(action)}
          >
            {pending === action ? info.pending : info.label}
          </button>
        );
      })}
    </div>
  );
}
