'use client';

import type { TrialStatus } from '@ablate/contracts';
import styles from './status-counts.module.css';

/** Each count filters the table to its statuses; `running` stands for leased and running. */
const GROUPS: { label: string; statuses: TrialStatus[] }[] = [
  { label: 'completed', statuses: ['completed'] },
  { label: 'running', statuses: ['leased', 'running'] },
  { label: 'queued', statuses: ['queued'] },
  { label: 'paused', statuses: ['paused'] },
  { label: 'pruned', statuses: ['pruned'] },
  { label: 'failed', statuses: ['failed'] },
  { label: 'cancelled', statuses: ['cancelled'] },
];

interface StatusCountsProps {
  counts: Record<TrialStatus, number>;
  /** The table's status filter (comma-separated statuses), or null for all. */
  filter: string | null;
  onFilter: (statuses: string | null) => void;
}

/** Trials per status, failed, pruned and cancelled included even at 0; a click shows only those (again: all). */
export function StatusCounts({ counts, filter, onFilter }: StatusCountsProps) {
  return (
    <div className={styles.counts} role="group" aria-label="Trials per status (click to filter)" data-testid="status-counts">
      {GROUPS.map(({ label, statuses }) => {
        const n = statuses.reduce((sum, st) => sum + (counts[st] ?? 0), 0);
        const value = statuses.join(',');
        const active = filter === value;
        if (n === 0 && (label === 'paused' || label === 'queued' || label === 'running') && !active) return null;
        return (
          <button
            key={label}
            type="button"
            className={`${styles.count} ${styles[label] ?? ''}`}
            aria-pressed={active}
            onClick={() => onFilter(active ? null : value)}
            data-status-count={label}
            data-n={n}
            title={active ? 'Show every status' : `Show only ${label} trials`}
          >
            <strong>{n}</strong> {label}
          </button>
        );
      })}
    </div>
  );
}
