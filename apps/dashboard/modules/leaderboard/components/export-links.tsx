import styles from './export-links.module.css';

/** Download buttons: the scheduler answers with the file (`Content-Disposition: attachment`), the CLI's formats. */
export function ExportLinks({ apiUrl, sweepId, grouped }: { apiUrl: string; sweepId: string; grouped: boolean }) {
  const url = (format: 'csv' | 'json', group: 'trial' | 'config' | 'series' = 'trial') => `${apiUrl.replace(/\/$/, '')}/api/sweeps/${encodeURIComponent(sweepId)}/download?format=${format}&group=${group}`;
  return (
    <div className={styles.links} role="group" aria-label="Export the leaderboard">
      <span className={styles.label}>Export</span>
      <a className={styles.button} href={url('csv')} download data-testid="export-csv" title="One row per trial: rank, status, score, params and metrics">
        CSV
      </a>
      {grouped && (
        <a className={styles.button} href={url('csv', 'config')} download data-testid="export-csv-config" title="One row per configuration: mean, std and n over its seeds">
          CSV per configuration
        </a>
      )}
      <a className={styles.button} href={url('csv', 'series')} download data-testid="export-csv-series" title="Every metric point in long format: trial_id, index, step, metric, value">
        CSV of curves
      </a>
      <a className={styles.button} href={url('json')} download data-testid="export-json" title="Ranked trials with every metric series, and the configurations">
        JSON with curves
      </a>
    </div>
  );
}
