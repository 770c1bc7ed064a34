import type { SweepSummary, TrialStatus } from '@ablate/contracts';
import styles from './sweep-progress.module.css';

const SHOWN: TrialStatus[] = ['completed', 'running', 'paused', 'queued', 'pruned', 'failed', 'cancelled'];
/** Finished trials, in the order the bar shows them: green, amber, red, grey. */
const FINISHED: TrialStatus[] = ['completed', 'pruned', 'failed', 'cancelled'];

/** A bar of finished trials, one colour per outcome, with the counts per status that are not zero. */
export function SweepProgress({ sweep }: { sweep: Pick<SweepSummary, 'counts' | 'total'> }) {
  const count = (status: TrialStatus) => sweep.counts[status] ?? 0;
  const finished = FINISHED.reduce((n, status) => n + count(status), 0);
  const parts = SHOWN.map((status) => [status, status === 'running' ? count('running') + count('leased') : count(status)] as const).filter(([, n]) => n > 0);
  const share = (n: number) => (sweep.total > 0 ? `${(n / sweep.total) * 100}%` : '0%');
  return (
    <div className={styles.progress} data-testid="sweep-progress">
      <div className={styles.bar} role="progressbar" aria-valuemin={0} aria-valuemax={sweep.total} aria-valuenow={finished} aria-label="Finished trials">
        {FINISHED.map((status) => (count(status) > 0 ? <div key={status} className={`${styles.fill} ${styles[status]}`} style={{ width: share(count(status)) }} /> : null))}
      </div>
      <span className={styles.counts}>
        {finished}/{sweep.total} done
        {parts.map(([status, n]) => (
          <span key={status} data-count={status}> · {n} {status}</span>
        ))}
      </span>
    </div>
  );
}
