import type { ConnectionState } from '@/modules/scheduler/live-socket';
import styles from './connection-badge.module.css';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Whether live updates are flowing. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  return (
    <span className={`${styles.pill} ${styles[state]}`} data-testid="connection-state" data-state={state} role="status">
      <span className={styles.dot} aria-hidden />
      {LABELS[state]}
    </span>
  );
}
