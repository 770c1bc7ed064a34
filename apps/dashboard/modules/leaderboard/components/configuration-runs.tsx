'use client';

import type { ConfigurationRow, RankedTrial } from '@ablate/contracts';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatMetric, formatParam } from '@/modules/shared/format';
import { useConfigurationRuns } from '../hooks/use-configuration-runs';
import styles from './learning-curves.module.css';

interface ConfigurationRunsProps {
  apiUrl: string;
  sweepId: string;
  row: ConfigurationRow;
  varying: string[];
  onOpenRun: (trial: RankedTrial) => void;
  onClose: () => void;
}

/** The single runs (one per seed) behind a configuration's mean; a run opens its learning curves. */
export function ConfigurationRuns({ apiUrl, sweepId, row, varying, onOpenRun, onClose }: ConfigurationRunsProps) {
  const version = `${row.mean}|${row.n}|${Object.values(row.counts).join(',')}`;
  const state = useConfigurationRuns(apiUrl, sweepId, row.key, version);
  const knobs = varying.map((key) => `${key} ${formatParam(row.params[key])}`).join(' · ');
  return (
    <section className={styles.panel} aria-label="Runs of the configuration" data-testid="configuration-runs">
      <header className={styles.header}>
        <strong>{row.trialIds.length === 1 ? '1 run' : `${row.trialIds.length} runs`}</strong>
        <span className={styles.muted}>{knobs}</span>
        <button type="button" onClick={onClose} className={styles.close} aria-label="Close the runs">
          ×
        </button>
      </header>
      {state === null && <p className={styles.muted}>Loading…</p>}
      {state?.error && <p role="alert">{state.error}</p>}
      {state?.runs && (
        <table className={styles.runs}>
          <thead>
            <tr>
              <th>Rank</th>
              <th>seed</th>
              <th>Status</th>
              <th>Epoch</th>
              <th>Score</th>
            </tr>
          </thead>
          <tbody>
            {state.runs.map((run) => (
              <tr key={run.id} data-testid="run-row" data-score={run.score ?? undefined} tabIndex={0} onClick={() => onOpenRun(run)} onKeyDown={(e) => e.key === 'Enter' && onOpenRun(run)} title="Show learning curves">
                <td>{run.rank ?? '—'}</td>
                <td>{formatParam(run.params.seed)}</td>
                <td title={run.statusReason ?? run.error ?? undefined}>
                  <StatusBadge status={run.status} />
                </td>
                <td>{run.step ?? '—'}</td>
                <td>{formatMetric(run.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
