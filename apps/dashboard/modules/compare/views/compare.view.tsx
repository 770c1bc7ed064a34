import type { MetricPoint, TrialDetail } from '@ablate/contracts';
import Link from 'next/link';
import { paletteColor } from '@/modules/charts/chart-data';
import { LineChart } from '@/modules/charts/line-chart';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatMetric, formatParam } from '@/modules/shared/format';
import { ParamDiffTable } from '../components/param-diff-table';
import styles from '../components/compare.module.css';
import { overlayCurves } from '../lib/overlay';
import { paramDiff, type ParamRow } from '../lib/param-diff';

export interface ComparedTrial {
  detail: TrialDetail;
  points: MetricPoint[];
}

/** Trial labels: `#index`, with the sweep's name when the trials come from more than one sweep. */
export function trialLabels(trials: readonly ComparedTrial[]): string[] {
  const sweeps = new Set(trials.map((t) => t.detail.sweep.id));
  return trials.map(({ detail }) => (sweeps.size > 1 ? `${detail.sweep.name} #${detail.trial.index}` : `#${detail.trial.index}`));
}

/** Chart legend labels: each trial's label with its values of the first two differing params (`#3 dropout 0.3`). */
export function legendLabels(labels: readonly string[], rows: readonly ParamRow[]): string[] {
  const differing = rows.filter((r) => r.differs).slice(0, 2);
  return labels.map((label, i) => [label, ...differing.map((r) => `${r.name} ${formatParam(r.values[i])}`)].join(' '));
}

/** 2–N trials side by side: a summary row each, the params that differ, and every metric's curves overlaid. */
export function CompareView({ trials, missing }: { trials: readonly ComparedTrial[]; missing: readonly string[] }) {
  const labels = trialLabels(trials);
  const rows = paramDiff(trials.map((t) => t.detail.trial));
  const legend = legendLabels(labels, rows);
  const { charts, values } = overlayCurves(trials.map((t, i) => ({ label: legend[i] ?? '', points: t.points })));
  return (
    <>
      <header>
        <p className="breadcrumb">
          <Link href="/">Sweeps</Link> / compare
        </p>
        <h1>Compare {trials.length} trials</h1>
        {missing.length > 0 && (
          <p role="alert" className={styles.muted}>
            Not shown (no such trial, or not a trial id): {missing.join(', ')}
          </p>
        )}
      </header>
      <section className="card" aria-label="Trials">
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="compare-summary">
            <thead>
              <tr>
                <th scope="col">trial</th>
                <th scope="col">sweep</th>
                <th scope="col">status</th>
                <th scope="col">score</th>
                <th scope="col">epochs</th>
                {values.map((v) => (
                  <th key={v.metric} scope="col">
                    {v.metric}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trials.map(({ detail }, i) => (
                <tr key={detail.trial.id}>
                  <th scope="row">
                    <span className={styles.swatch} style={{ background: paletteColor(i) }} aria-hidden />
                    <Link href={`/trials/${detail.trial.id}`}>{labels[i]}</Link>
                  </th>
                  <td>
                    <Link href={`/sweeps/${detail.sweep.id}`}>{detail.sweep.name}</Link>
                  </td>
                  <td>
                    <StatusBadge status={detail.trial.status} />
                  </td>
                  <td>
                    {formatMetric(detail.trial.score)} <span className={styles.muted}>{detail.sweep.metric.name}</span>
                  </td>
                  <td>{detail.trial.step ?? '—'}</td>
                  {values.map((v) => (
                    <td key={v.metric}>{formatMetric(v.values[i])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-label="Params">
        <h2>Params</h2>
        <ParamDiffTable rows={rows} labels={labels} />
      </section>
      <section className="card" aria-label="Curves">
        <h2>Curves</h2>
        {charts.length === 0 ? (
          <p className={styles.muted}>None of these trials has reported an epoch yet.</p>
        ) : (
          <div className={styles.charts}>
            {charts.map((chart) => (
              <div key={chart.metric} className={styles.chartCard} data-testid={`compare-curve-${chart.metric}`}>
                <h3 className={styles.chartTitle}>{chart.metric}</h3>
                <LineChart series={chart.series} xLabel="epoch" yLabel={chart.metric} title={`${chart.metric} by epoch, one line per trial`} height={240} />
              </div>
            ))}
          </div>
        )}
      </section>
    </>
  );
}

/** Fewer than two trials to compare: say how to pick them. */
export function CompareEmpty({ found, missing }: { found: number; missing: readonly string[] }) {
  return (
    <section className={`card ${styles.empty}`} data-testid="compare-empty">
      <h1>Compare trials</h1>
      <p>
        {found === 0 ? 'No trials picked yet.' : 'Pick at least one more trial.'} Tick two or more trials in a sweep&apos;s leaderboard and press
        Compare, or open <code>/compare?trials=&lt;trial id&gt;,&lt;trial id&gt;</code>.
      </p>
      {missing.length > 0 && <p className={styles.muted}>Not found: {missing.join(', ')}</p>}
      <p>
        <Link href="/">Back to the sweeps</Link>
      </p>
    </section>
  );
}
