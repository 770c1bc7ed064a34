'use client';

import type { SweepSummary } from '@ablate/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatDate, formatMetric } from '@/modules/shared/format';
import { listPageHref, type SweepListPage } from '../lib/sweep-list';
import { SweepProgress } from './sweep-progress';
import styles from './sweeps-table.module.css';

/** The sweeps of one page: each row focusable, Enter (or a click) opens the sweep. */
export function SweepsTable({ sweeps, where }: { sweeps: SweepSummary[]; where: SweepListPage }) {
  const router = useRouter();
  const open = (sweep: SweepSummary) => router.push(`/sweeps/${encodeURIComponent(sweep.id)}`);
  return (
    <div className={styles.scroll}>
      <table className={styles.table} aria-label="Sweeps">
        <thead>
          <tr>
            <th>Name</th>
            <th>Project</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Best</th>
            <th>Launched by</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {sweeps.map((sweep) => (
            <tr
              key={sweep.id}
              tabIndex={0}
              data-testid="sweep-row"
              data-status={sweep.status}
              className={sweep.status === 'failed' ? styles.failedRow : undefined}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && e.target === e.currentTarget) open(sweep);
              }}
              onClick={(e) => {
                // Links and selections inside the row keep their own behaviour.
                if ((e.target as HTMLElement).closest('a') === null && !window.getSelection()?.toString()) open(sweep);
              }}
            >
              <td>
                <Link href={`/sweeps/${encodeURIComponent(sweep.id)}`} tabIndex={-1}>
                  {sweep.name}
                </Link>
                <span className={styles.sub}>{sweep.template}</span>
              </td>
              <td>
                <Link href={listPageHref({ page: 1, project: sweep.project })} className={styles.project} tabIndex={-1} title={`Only the sweeps of ${sweep.project}`}>
                  {sweep.project}
                </Link>
              </td>
              <td>
                <StatusBadge status={sweep.status} />
                {sweep.reason && sweep.status !== 'cancelled' && (
                  <span className={sweep.status === 'failed' ? styles.failure : styles.reason} title={sweep.reason} data-testid="sweep-reason">
                    {sweep.reason}
                  </span>
                )}
              </td>
              <td>
                <SweepProgress sweep={sweep} />
              </td>
              <td className={styles.best} data-testid="sweep-best">
                {sweep.best === null || sweep.best === undefined ? '—' : formatMetric(sweep.best)}
                <span className={styles.sub}>
                  {sweep.metric.name} {sweep.metric.goal === 'maximize' ? '↑' : '↓'}
                </span>
              </td>
              <td className={styles.actor}>{sweep.launchedBy ?? '—'}</td>
              <td>
                <time dateTime={sweep.createdAt}>{formatDate(sweep.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {where.project && sweeps.length === 0 && <p className="muted">No sweeps in project {where.project}.</p>}
    </div>
  );
}
