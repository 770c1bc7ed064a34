import type { TrialRun } from '@ablate/contracts';
import { formatDate } from '@/modules/shared/format';
import styles from './trial.module.css';

/** Every lease of the trial: attempt, the worker that ran it, when, and how it ended. */
export function TrialRuns({ runs }: { runs: readonly TrialRun[] }) {
  if (runs.length === 0) return <p className={styles.muted}>Not run yet: it waits in the queue for a free worker slot.</p>;
  return (
    <table className={styles.table} data-testid="trial-runs">
      <thead>
        <tr>
          <th scope="col">Attempt</th>
          <th scope="col">Worker</th>
          <th scope="col">Started</th>
          <th scope="col">Ended</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run, i) => (
          <tr key={`${run.startedAt}-${i}`}>
            <td>{run.attempt}</td>
            <td title={run.workerId ?? undefined}>
              <a href="/workers">{run.host ?? run.workerId?.slice(0, 8) ?? '—'}</a>
            </td>
            <td>{formatDate(run.startedAt)}</td>
            <td>{run.endedAt ? formatDate(run.endedAt) : '—'}</td>
            <td>
              {run.outcome ?? 'running'}
              {run.errorCode && <code className={styles.inlineCode}>{run.errorCode}</code>}
              {run.error && <div className={styles.muted}>{run.error}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
