'use client';

import type { SweepSummary } from '@ablate/contracts';
import Link from 'next/link';
import { ConnectionBadge } from '@/modules/shared/components/connection-badge';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatDate } from '@/modules/shared/format';
import { useSweeps } from '../hooks/use-sweeps';
import { SweepProgress } from './sweep-progress';
import styles from './sweeps-table.module.css';

/** Every sweep, newest first, updating live. */
export function SweepsTable({ apiUrl, initialSweeps }: { apiUrl: string; initialSweeps: SweepSummary[] }) {
  const { sweeps, connection } = useSweeps(apiUrl, initialSweeps);
  return (
    <div>
      <div className={styles.toolbar}>
        <ConnectionBadge state={connection} />
      </div>
      {sweeps.length === 0 ? (
        <p className={styles.empty}>No sweeps yet. Launch one with the form.</p>
      ) : (
        <div className={styles.scroll}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Project</th>
                <th>Template</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {sweeps.map((sweep) => (
                <tr key={sweep.id} data-testid="sweep-row" data-status={sweep.status}>
                  <td>
                    <Link href={`/sweeps/${encodeURIComponent(sweep.id)}`}>{sweep.name}</Link>
                  </td>
                  <td>{sweep.project}</td>
                  <td>{sweep.template}</td>
                  <td title={sweep.reason ?? undefined}>
                    <StatusBadge status={sweep.status} />
                    {sweep.reason && sweep.status !== 'cancelled' && <span className={sweep.status === 'failed' ? styles.failure : styles.reason}>{sweep.reason}</span>}
                  </td>
                  <td>
                    <SweepProgress sweep={sweep} />
                  </td>
                  <td>
                    <time dateTime={sweep.createdAt}>{formatDate(sweep.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
