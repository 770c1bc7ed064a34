import styles from './workers.module.css';

/** A labelled bar for a share 0-100 (null: the node does not say). */
export function Gauge({ label, percent, detail }: { label: string; percent: number | null; detail: string }) {
  const level = percent === null ? 'unknown' : percent >= 90 ? 'high' : percent >= 60 ? 'mid' : 'low';
  return (
    <div className={styles.gauge}>
      <div className={styles.gaugeLabel}>
        <span>{label}</span>
        <span className={styles.muted}>{detail}</span>
      </div>
      <div
        className={styles.gaugeTrack}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent === null ? undefined : Math.round(percent)}
        aria-valuetext={percent === null ? 'unknown' : `${Math.round(percent)}%`}
      >
        <div className={`${styles.gaugeFill} ${styles[level]}`} style={{ width: `${percent ?? 0}%` }} />
      </div>
    </div>
  );
}
