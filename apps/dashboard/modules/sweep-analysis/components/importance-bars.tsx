import type { SweepAnalysis } from '@ablate/contracts';
import { formatShare } from '../lib/describe-analysis';
import styles from './analysis.module.css';

/** Each knob's share of the score's variance as a bar, most important first, with the method named. */
export function ImportanceBars({ analysis }: { analysis: SweepAnalysis }) {
  const { importance, completed } = analysis;
  const rows = [...importance.knobs.map((k) => ({ label: k.knob, share: k.share, residual: false })), ...(importance.residual === null ? [] : [{ label: 'interactions and seed noise', share: importance.residual, residual: true }])];
  return (
    <section className={styles.block} aria-labelledby="importance-title" data-testid="importance">
      <h3 id="importance-title" className={styles.title}>Parameter importance</h3>
      <p className={styles.note}>
        Over {completed} completed trials. Method: {importance.method}.
      </p>
      {importance.residual === null ? (
        <p className={styles.muted}>Needs two completed trials with different scores.</p>
      ) : (
        <ul className={styles.bars}>
          {rows.map((row) => (
            <li key={row.label} className={styles.barRow} data-testid="importance-row" data-knob={row.label} data-share={row.share}>
              <span className={row.residual ? styles.muted : styles.knob}>{row.label}</span>
              <span className={styles.track} aria-hidden>
                <span className={row.residual ? styles.fillMuted : styles.fill} style={{ width: `${Math.min(100, row.share * 100)}%` }} />
              </span>
              <span className={styles.num}>{formatShare(row.share)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
