'use client';

import type { RankedTrial } from '@ablate/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatMetric, formatParam } from '@/modules/shared/format';
import { useWindowReport } from '../hooks/use-window-report';
import { useWindowedRows } from '../hooks/use-windowed-rows';
import { formatScore, type LeaderboardColumns } from '../lib/columns';
import styles from './leaderboard-table.module.css';
import { WindowedRows } from './windowed-rows';

/** Must match `.table td` height in the CSS: windowing computes positions from it. */
export const ROW_HEIGHT = 36;

interface LeaderboardTableProps {
  /** Rows in the view (the server's total); only those in view are asked for. */
  total: number;
  /** The trial at a row, or undefined while its page loads. */
  rowAt: (index: number) => RankedTrial | undefined;
  columns: LeaderboardColumns;
  /** Trial whose learning curves are open. */
  selectedId: string | null;
  onSelect: (trial: RankedTrial) => void;
  /** The rows in view changed (fetch their pages). */
  onRange: (start: number, end: number) => void;
}

/**
 * The ranked trials, windowed: only the rows in view are in the DOM, and only their pages are
 * fetched. Params every trial shares are not columns (the line above the table lists them). A row
 * is focusable: Enter opens the trial's page, Space or a click its learning curves below.
 */
export function LeaderboardTable({ total, rowAt, columns, selectedId, onSelect, onRange }: LeaderboardTableProps) {
  const { containerRef, range } = useWindowedRows<HTMLDivElement>(total, ROW_HEIGHT);
  useWindowReport(range, onRange);
  const router = useRouter();
  const openPage = (trial: RankedTrial) => router.push(`/trials/${trial.id}`);
  const columnCount = 5 + columns.varying.length + columns.metrics.length;
  return (
    <div ref={containerRef} className={styles.scroll} data-testid="leaderboard">
      <table className={styles.table} aria-rowcount={total + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th className={styles.rank}>Rank</th>
            {columns.varying.map((key) => (
              <th key={key} className={styles.varying} title="varies across trials">{key}</th>
            ))}
            <th title="the trial's page: curves, attempts, logs">Trial</th>
            <th>Status</th>
            <th className={styles.num}>Epoch</th>
            {columns.metrics.map((name) => (
              <th key={name} className={styles.num} title="value at the latest reported epoch">{name}</th>
            ))}
            <th className={styles.num} title={`score = the best ${columns.metrics[0] ?? 'ranking metric'} of any epoch so far, @ the epoch it came from`}>Score @ epoch</th>
          </tr>
        </thead>
        <WindowedRows
          range={range}
          columnCount={columnCount}
          rowAt={rowAt}
          renderRow={(trial, rowIndex) => (
            <TrialRow key={trial.id} trial={trial} columns={columns} rowIndex={rowIndex} selected={trial.id === selectedId} onSelect={onSelect} onOpen={openPage} />
          )}
        />
      </table>
    </div>
  );
}

interface TrialRowProps {
  trial: RankedTrial;
  columns: LeaderboardColumns;
  rowIndex: number;
  selected: boolean;
  onSelect: (trial: RankedTrial) => void;
  /** Opens the trial's page. */
  onOpen: (trial: RankedTrial) => void;
}

function TrialRow({ trial, columns, rowIndex, selected, onSelect, onOpen }: TrialRowProps) {
  const why = trial.statusReason ?? trial.error ?? undefined;
  // On the row for the statuses a reader must explain (a cancel's reason is the same on every row: tooltip only).
  const shownWhy = why && (trial.status === 'pruned' || trial.status === 'paused' || trial.status === 'failed') ? why : undefined;
  return (
    <tr
      className={selected ? styles.selected : undefined}
      aria-selected={selected}
      tabIndex={0}
      title="Click or Space: learning curves below · Enter: the trial's page"
      onClick={() => onSelect(trial)}
      onKeyDown={(event) => {
        if (event.target !== event.currentTarget) return;
        if (event.key === 'Enter') {
          event.preventDefault();
          onOpen(trial);
        } else if (event.key === ' ') {
          event.preventDefault();
          onSelect(trial);
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
      <td>
        {/* Out of the tab order: Enter on the row opens the same page. */}
        <Link href={`/trials/${trial.id}`} tabIndex={-1} onClick={(event) => event.stopPropagation()} data-testid="trial-link">
          #{trial.index}
        </Link>
      </td>
      <td title={why}>
        <StatusBadge status={trial.status} />
        {shownWhy && <span className={styles.why}>{shownWhy}</span>}
      </td>
      <td className={styles.num}>{trial.step ?? '—'}</td>
      {columns.metrics.map((name) => (
        <td key={name} className={styles.num}>{formatMetric(trial.metrics[name])}</td>
      ))}
      <td className={`${styles.num} ${styles.score}`} data-testid="trial-score">{formatScore(trial.score, trial.scoreStep)}</td>
    </tr>
  );
}
