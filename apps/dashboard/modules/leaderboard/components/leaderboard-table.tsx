'use client';

import type { RankedTrial } from '@ablate/contracts';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatMetric, formatParam } from '@/modules/shared/format';
import { useWindowedRows } from '../hooks/use-windowed-rows';
import type { LeaderboardColumns } from '../lib/columns';
import styles from './leaderboard-table.module.css';

/** Must match `.table td` height in the CSS: windowing computes positions from it. */
const ROW_HEIGHT = 36;

interface LeaderboardTableProps {
  trials: RankedTrial[];
  columns: LeaderboardColumns;
  /** Trial whose learning curves are open. */
  selectedId: string | null;
  onSelect: (trialId: string) => void;
}

/** The ranked trials, windowed: only the rows in view are in the DOM. */
export function LeaderboardTable({ trials, columns, selectedId, onSelect }: LeaderboardTableProps) {
  const { containerRef, range } = useWindowedRows<HTMLDivElement>(trials.length, ROW_HEIGHT);
  const visible = trials.slice(range.start, range.end);
  const columnCount = 4 + columns.varying.length + columns.metrics.length + columns.fixed.length;
  return (
    <div ref={containerRef} className={styles.scroll} data-testid="leaderboard">
      <table className={styles.table} aria-rowcount={trials.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th className={styles.rank}>Rank</th>
            {columns.varying.map((key) => (
              <th key={key} className={styles.varying} title="varies across trials">{key}</th>
            ))}
            <th>Status</th>
            <th className={styles.num}>Epoch</th>
            {columns.metrics.map((name) => (
              <th key={name} className={styles.num}>{name}</th>
            ))}
            <th className={styles.num} title="best value of the ranking metric so far">Score</th>
            {columns.fixed.map((key) => (
              <th key={key} className={styles.fixed} title="same for every trial">{key}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {range.padTop > 0 && <tr aria-hidden style={{ height: range.padTop }}><td colSpan={columnCount} /></tr>}
          {visible.map((trial, i) => (
            <TrialRow key={trial.id} trial={trial} columns={columns} rowIndex={range.start + i + 2} selected={trial.id === selectedId} onSelect={onSelect} />
          ))}
          {range.padBottom > 0 && <tr aria-hidden style={{ height: range.padBottom }}><td colSpan={columnCount} /></tr>}
        </tbody>
      </table>
    </div>
  );
}

interface TrialRowProps {
  trial: RankedTrial;
  columns: LeaderboardColumns;
  rowIndex: number;
  selected: boolean;
  onSelect: (trialId: string) => void;
}

function TrialRow({ trial, columns, rowIndex, selected, onSelect }: TrialRowProps) {
  return (
    <tr
      className={selected ? styles.selected : undefined}
      aria-selected={selected}
      tabIndex={0}
      title="Show learning curves"
      onClick={() => onSelect(trial.id)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(trial.id);
        }
      }}
      data-testid="trial-row"
      data-trial-id={trial.id}
      data-index={trial.index}
      data-rank={trial.rank ?? undefined}
      data-status={trial.status}
      data-score={trial.score ?? undefined}
      aria-rowindex={rowIndex}
    >
      <td className={styles.rank}>{trial.rank ?? '—'}</td>
      {columns.varying.map((key) => (
        <td key={key} className={styles.varying}>{formatParam(trial.params[key])}</td>
      ))}
      <td title={trial.error ?? undefined}>
        <StatusBadge status={trial.status} />
      </td>
      <td className={styles.num}>{trial.step ?? '—'}</td>
      {columns.metrics.map((name) => (
        <td key={name} className={styles.num}>{formatMetric(trial.metrics[name])}</td>
      ))}
      <td className={`${styles.num} ${styles.score}`}>{formatMetric(trial.score)}</td>
      {columns.fixed.map((key) => (
        <td key={key} className={styles.fixed}>{formatParam(trial.params[key])}</td>
      ))}
    </tr>
  );
}
