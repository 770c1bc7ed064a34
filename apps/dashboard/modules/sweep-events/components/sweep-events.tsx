import type { SweepEvent } from '@ablate/contracts';
import { formatDate, formatTime } from '@/modules/shared/format';
import { describeEvent } from '../lib/describe-event';
import styles from './sweep-events.module.css';

/** Who did what to the sweep, and when, newest first; new events arrive live. */
export function SweepEvents({ events }: { events: readonly SweepEvent[] }) {
  const newest = [...events].reverse();
  return (
    <section className={styles.events} aria-labelledby="sweep-events-title">
      <h3 id="sweep-events-title">Activity</h3>
      {newest.length === 0 ? (
        <p className={styles.empty}>Nothing recorded yet.</p>
      ) : (
        <ol className={styles.list} data-testid="sweep-events">
          {newest.map((event) => (
            <li key={event.id} data-testid="sweep-event" data-action={event.action}>
              <time dateTime={event.at} title={formatDate(event.at)}>{formatTime(event.at)}</time>
              <strong className={styles.actor}>{event.actor}</strong>
              <span>{describeEvent(event)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
