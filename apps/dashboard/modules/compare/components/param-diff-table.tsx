import { formatParam } from '@/modules/shared/format';
import type { ParamRow } from '../lib/param-diff';
import styles from './compare.module.css';

/** Params that differ, highlighted; the identical ones folded away below. */
export function ParamDiffTable({ rows, labels }: { rows: readonly ParamRow[]; labels: readonly string[] }) {
  const differing = rows.filter((r) => r.differs);
  const identical = rows.filter((r) => !r.differs);
  const head = (
    <thead>
      <tr>
        <th scope="col">param</th>
        {labels.map((label) => (
          <th key={label} scope="col">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
  const body = (list: readonly ParamRow[]) => (
    <tbody>
      {list.map((row) => (
        <tr key={row.name} className={row.differs ? styles.differs : undefined} data-testid={`param-${row.name}`} data-differs={row.differs}>
          <th scope="row">{row.name}</th>
          {row.values.map((value, i) => (
            <td key={i}>{formatParam(value)}</td>
          ))}
        </tr>
      ))}
    </tbody>
  );
  return (
    <div className={styles.tableWrap} data-testid="param-diff">
      {differing.length > 0 ? (
        <table className={styles.table}>
          {head}
          {body(differing)}
        </table>
      ) : (
        <p className={styles.muted}>The trials have the same params (repeats of one configuration differ only by chance).</p>
      )}
      {identical.length > 0 && (
        <details className={styles.identical}>
          <summary>{identical.length} identical params</summary>
          <table className={styles.table}>
            {head}
            {body(identical)}
          </table>
        </details>
      )}
    </div>
  );
}
