import type { SweepAnalysis } from '@ablate/contracts';
import { describeBaseline, formatDelta, formatMeanStd, rowLabel, verdict } from '../lib/describe-analysis';
import styles from './analysis.module.css';

/**
 * The course's results table, filling live: the baseline configuration, and for each knob the
 * configurations one knob away from it, with the mean ± std over seeds, n, and the change against
 * the baseline (coloured by the metric's goal).
 */
export function AblationTable({ analysis }: { analysis: SweepAnalysis }) {
  const { ablation, metric } = analysis;
  const ranges = analysis.knobs.filter((k) => k.baseline === null).map((k) => k.name);
  return (
    <section className={styles.block} aria-labelledby="ablation-title" data-testid="ablation">
      <h3 id="ablation-title" className={styles.title}>Ablation against the baseline</h3>
      <p className={styles.note}>
        Baseline: <strong data-testid="ablation-baseline">{describeBaseline(ablation.baseline)}</strong> ({ablation.rule}). Each row changes one knob; {metric.name} of completed runs, mean ± std over seeds.
        {ranges.length > 0 && ` Sampled from ranges, without a baseline: ${ranges.join(', ')} (see importance and parallel coordinates).`}
      </p>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Configuration</th>
            <th className={styles.num} title={`mean ± sample standard deviation of ${metric.name} over the completed runs (seeds)`}>{metric.name} (mean ± std)</th>
            <th className={styles.num} title="completed runs">n</th>
            <th className={styles.num} title={`difference to the baseline's mean (${metric.goal === 'maximize' ? 'higher' : 'lower'} is better)`}>vs baseline</th>
          </tr>
        </thead>
        <tbody>
          {ablation.rows.map((row) => {
            const v = verdict(row, metric.goal);
            return (
              <tr key={rowLabel(row)} data-testid="ablation-row" data-knob={row.knob ?? 'baseline'} data-n={row.n} data-mean={row.mean ?? undefined}>
                <td className={row.knob === null ? styles.baseline : undefined}>{rowLabel(row)}</td>
                <td className={styles.num}>{row.n === 0 ? <span className={styles.muted}>waiting for a completed run</span> : formatMeanStd(row.mean, row.std)}</td>
                <td className={styles.num}>{row.n}</td>
                <td className={`${styles.num} ${v === 'better' ? styles.better : v === 'worse' ? styles.worse : ''}`} data-verdict={v ?? undefined}>
                  {row.knob === null ? '' : formatDelta(row.delta)}
                  {v && v !== 'same' && <span className={styles.muted}> {v}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
