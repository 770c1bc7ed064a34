import type { ReactNode } from 'react';
import type { RowWindow } from '../hooks/use-windowed-rows';
import styles from './leaderboard-table.module.css';

interface WindowedRowsProps<R> {
  /** The rows in view (`useWindowedRows`), with the spacer heights above and below them. */
  range: RowWindow;
  columnCount: number;
  /** The row at a position, or undefined while its page is being fetched. */
  rowAt: (index: number) => R | undefined;
  /** One fetched row; `rowIndex` is its `aria-rowindex` (the header is row 1). */
  renderRow: (row: R, rowIndex: number) => ReactNode;
}

/**
 * The body of a windowed leaderboard table: a spacer row above and below the window (so the
 * scrollbar stays true), each row in view, and a loading row for one whose page has not come yet.
 */
export function WindowedRows<R>({ range, columnCount, rowAt, renderRow }: WindowedRowsProps<R>) {
  const indexes = Array.from({ length: range.end - range.start }, (_, i) => range.start + i);
  return (
    <tbody>
      {range.padTop > 0 && <tr aria-hidden style={{ height: range.padTop }}><td colSpan={columnCount} /></tr>}
      {indexes.map((index) => {
        const row = rowAt(index);
        return row !== undefined ? (
          renderRow(row, index + 2)
        ) : (
          <tr key={`loading-${index}`} aria-rowindex={index + 2} className={styles.loadingRow} data-testid="row-loading">
            <td colSpan={columnCount}>…</td>
          </tr>
        );
      })}
      {range.padBottom > 0 && <tr aria-hidden style={{ height: range.padBottom }}><td colSpan={columnCount} /></tr>}
    </tbody>
  );
}
