'use client';

import type { ConfigurationRow, TrialStatus } from '@ablate/contracts';
import { formatMetric, formatParam, formatSpread } from '@/modules/shared/format';
import { useWindowReport } from '../hooks/use-window-report';
import { useWindowedRows } from '../hooks/use-windowed-rows';
import type { LeaderboardColumns } from '../lib/columns';
import { ROW_HEIGHT } from './leaderboard-table';
import styles from './leaderboard-table.module.css';
import { WindowedRows } from './windowed-rows';

interface ConfigurationTableProps {
  total: number;
  rowAt: (index: number) => ConfigurationRow | undefined;
  columns: LeaderboardColumns;
  /** Configuration whose runs are open. */
  selectedKey: string | null;
  onSelect: (row: ConfigurationRow) => void;
  onRange: (start: number, end: number) => void;
}

const STATUS_ORDER: TrialStatus[] = ['running', 'leased', 'queued', 'paused', 'completed', 'pruned', 'failed', 'cancelled'];

/** One row per configuration: its seeds' mean ± standard deviation and n, ranked by the mean; its runs one click (or Enter) away. Shared params are in the line above. */
export function ConfigurationTable({ total, rowAt, columns, selectedKey, onSelect, onRange }: ConfigurationTableProps) {
  const { containerRef, range } = useWindowedRows<HTMLDivElement>(total, ROW_HEIGHT);
  useWindowReport(range, onRange);
  const columnCount = 4 + columns.varying.length;
  return (
    <div ref={containerRef} className={styles.scroll} data-testid="leaderboard">
      <table className={styles.table} aria-rowcount={total + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th className={styles.rank}>Rank</th>
            {columns.varying.map((key) => (
              <th key={key} className={styles.varying} title="varies across configurations">{key}</th>
            ))}
            <th className={styles.num} title="mean ± sample standard deviation of the runs' scores">Mean ± std</th>
            <th className={styles.num} title="runs with a score">n</th>
            <th>Runs</th>
          </tr>
        </thead>
        <WindowedRows
          range={range}
          columnCount={columnCount}
          rowAt={rowAt}
          renderRow={(row, rowIndex) => {
            const selected = row.key === selectedKey;
            return (
              <tr
                key={row.key}
                className={selected ? styles.selected : undefined}
                aria-selected={selected}
                aria-rowindex={rowIndex}
                tabIndex={0}
                title="Show the single runs"
                onClick={() => onSelect(row)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    onSelect(row);
                  }
                }}
                data-testid="config-row"
                data-rank={row.rank ?? undefined}
                data-mean={row.mean ?? undefined}
                data-n={row.n}
              >
                <td className={styles.rank}>{row.rank ?? '—'}</td>
                {columns.varying.map((key) => (
                  <td key={key} className={styles.varying}>{formatParam(row.params[key])}</td>
                ))}
                <td className={`${styles.num} ${styles.score}`} data-testid="config-mean">
                  {formatMetric(row.mean)}
                  {row.std !== null && <span className={styles.std}> ± {formatSpread(row.std, row.mean)}</span>}
                </td>
                <td className={styles.num}>{row.n}</td>
                <td className={styles.fixed}>{describeCounts(row.counts)}</td>
              </tr>
            );
          }}
        />
      </table>
    </div>
  );
}

/** `2 completed · 1 running` */
function describeCounts(counts: Record<TrialStatus, number>): string {
  return STATUS_ORDER.filter((st) => counts[st] > 0).map((st) => `${counts[st]} ${st}`).join(' · ');
}
