import type { SchedulerFailure } from '@/modules/scheduler/scheduler-client';
import styles from './scheduler-unavailable.module.css';

/** Shown instead of a page when the scheduler cannot be asked. */
export function SchedulerUnavailable({ failure }: { failure: SchedulerFailure }) {
  return (
    <section className={styles.box} role="alert" data-testid="scheduler-unavailable">
      <h2>Cannot load data from the scheduler</h2>
      <p>{failure.message}</p>
      <p className={styles.hint}>
        Check that the scheduler is running (<code>ablate up</code> starts everything) and that{' '}
        <code>ABLATE_API_URL</code> points at it (now <code>{failure.apiUrl}</code>), then reload this page.
      </p>
    </section>
  );
}
