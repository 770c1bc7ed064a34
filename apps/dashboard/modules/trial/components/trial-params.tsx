import { formatParam } from '@/modules/shared/format';
import styles from './trial.module.css';

/** The trial's template params (defaults filled in), in name order. */
export function TrialParams({ params }: { params: Record<string, unknown> }) {
  const entries = Object.entries(params).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className={styles.muted}>This trial has no params.</p>;
  return (
    <dl className={styles.params} data-testid="trial-params">
      {entries.map(([name, value]) => (
        <div key={name} className={styles.param}>
          <dt>{name}</dt>
          <dd>{formatParam(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
