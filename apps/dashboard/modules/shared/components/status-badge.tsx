import type { SweepStatus, TrialStatus } from '@ablate/contracts';
import styles from './status-badge.module.css';

/** A coloured pill for a sweep or trial status. */
export function StatusBadge({ status }: { status: SweepStatus | TrialStatus }) {
  return (
    <span className={`${styles.badge} ${styles[status] ?? ''}`} data-testid="status-badge">
      {status}
    </span>
  );
}
