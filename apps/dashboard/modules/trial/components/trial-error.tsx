import type { TrialDetail, TrialLogLine } from '@ablate/contracts';
import { LogLines } from './trial-log';
import styles from './trial.module.css';

/** What a failed trial shows first: the typed code, the message, and the log's last lines. */
export function TrialErrorPanel({ detail, lines }: { detail: TrialDetail; lines: readonly TrialLogLine[] }) {
  const { trial, errorCode } = detail;
  const tail = lines.slice(-15);
  return (
    <section className={styles.errorPanel} role="alert" aria-label="Why the trial failed" data-testid="trial-error">
      <h2>
        Failed{errorCode && <code className={styles.errorCode} data-testid="trial-error-code">{errorCode}</code>}
        <span className={styles.muted}> after attempt {trial.attempt}</span>
      </h2>
      <p className={styles.errorMessage} data-testid="trial-error-message">
        {trial.error ?? 'The worker gave no reason.'}
      </p>
      {tail.length > 0 ? (
        <>
          <h3 className={styles.subhead}>Last lines of its log</h3>
          <LogLines lines={tail} testId="error-log-tail" />
        </>
      ) : (
        <p className={styles.muted}>The trial left no log lines (its worker may predate log tails).</p>
      )}
    </section>
  );
}
