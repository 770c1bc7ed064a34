'use client';

import type { LeaderboardView } from '../lib/leaderboard-view';
import styles from './leaderboard-toolbar.module.css';

const STATUS_FILTERS: { label: string; value: string | null }[] = [
  { label: 'every status', value: null },
  { label: 'unfinished', value: 'queued,leased,running,paused' },
  { label: 'running', value: 'leased,running' },
  { label: 'completed', value: 'completed' },
  { label: 'pruned', value: 'pruned' },
  { label: 'failed', value: 'failed' },
  { label: 'cancelled', value: 'cancelled' },
];

interface LeaderboardToolbarProps {
  view: LeaderboardView;
  /** Metrics the trials can be sorted by. */
  metrics: string[];
  /** The sweep repeats seeds: offer one row per configuration. */
  canGroup: boolean;
  onChange: (view: LeaderboardView) => void;
}

/** How the table is cut: per trial or per configuration, the order, which statuses. The server does the work. */
export function LeaderboardToolbar({ view, metrics, canGroup, onChange }: LeaderboardToolbarProps) {
  const grouped = view.group === 'config';
  const sorts = grouped
    ? [['rank', 'best mean first'], ['index', 'launch order']]
    : [['rank', 'best first'], ['index', 'launch order'], ['status', 'status'], ['updated', 'recently updated'], ...metrics.map((m) => [`metric:${m}`, `best ${m}`])];
  return (
    <div className={styles.toolbar} role="group" aria-label="Leaderboard view">
      {canGroup && (
        <label className={styles.toggle}>
          <input type="checkbox" checked={grouped} onChange={(e) => onChange({ group: e.target.checked ? 'config' : 'trial', sort: 'rank', status: view.status })} />
          Group repeats (mean over seeds)
        </label>
      )}
      <label>
        Sort
        <select value={view.sort} onChange={(e) => onChange({ ...view, sort: e.target.value })}>
          {sorts.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <label>
        Show
        <select value={view.status ?? ''} onChange={(e) => onChange({ ...view, status: e.target.value === '' ? null : e.target.value })}>
          {STATUS_FILTERS.map((f) => <option key={f.label} value={f.value ?? ''}>{f.label}</option>)}
        </select>
      </label>
    </div>
  );
}
