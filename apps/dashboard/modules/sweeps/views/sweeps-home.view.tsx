'use client';

import type { SweepSummary } from '@ablate/contracts';
import Link from 'next/link';
import { ConnectionBadge } from '@/modules/shared/components/connection-badge';
import { Notice } from '@/modules/shared/components/notice';
import { NoWorkerNotice } from '../components/no-worker-notice';
import { ProjectPicker } from '../components/project-picker';
import { SweepsPaging } from '../components/sweeps-paging';
import { SweepsTable } from '../components/sweeps-table';
import { useSweeps } from '../hooks/use-sweeps';
import { listPageHref, type SweepListPage } from '../lib/sweep-list';
import styles from './sweeps-home.module.css';

interface SweepsHomeViewProps {
  sweeps: SweepSummary[];
  /** Sweeps in all (in the project, when filtered). */
  total: number;
  /** Every project with its number of sweeps. */
  projects: { slug: string; sweeps: number }[];
  where: SweepListPage;
  /** Live workers, or null when the scheduler would not say. */
  liveWorkers: number | null;
  /** Scheduler URL as the browser (and a worker) reaches it. */
  publicApiUrl: string;
}

const UNFINISHED = new Set(['queued', 'running', 'paused', 'stopping']);

/** `/`: every sweep by project, newest first, live; paged past 100. */
export function SweepsHomeView({ sweeps: initial, total, projects, where, liveWorkers, publicApiUrl }: SweepsHomeViewProps) {
  // Keyed by page in the page component, so a new page starts from its own rows.
  const { sweeps, connection } = useSweeps(publicApiUrl, initial, where);
  const waiting = sweeps.some((s) => UNFINISHED.has(s.status));
  const noWorker = liveWorkers === 0;
  return (
    <>
      <div className={styles.header}>
        <h1>Sweeps</h1>
        {projects.length > 1 && <ProjectPicker projects={projects} current={where.project} />}
        {where.project && (
          <span className={styles.filter} data-testid="project-filter">
            project <strong>{where.project}</strong> <Link href={listPageHref({ page: 1, project: null })} aria-label="Show every project">✕</Link>
          </span>
        )}
        <span className={styles.spacer} />
        <ConnectionBadge state={connection} />
        <Link href="/sweeps/new" className="button-primary">
          New sweep
        </Link>
      </div>
      {noWorker && (total === 0 || waiting) && <NoWorkerNotice apiUrl={publicApiUrl} waiting={waiting} />}
      {total === 0 && !where.project ? (
        <Notice title="No sweeps yet: launch one" testId="no-sweeps">
          <p>
            <Link href="/sweeps/new">Open the New sweep form</Link> (it starts on the course&apos;s dropout × batch-norm grid), paste a YAML spec there, or run{' '}
            <code>node apps/cli/dist/main.js sweep launch docs/examples/mnist-dropout-bn.json</code>.
          </p>
        </Notice>
      ) : (
        <section className="card">
          <SweepsTable sweeps={sweeps} where={where} />
          <SweepsPaging where={where} shown={sweeps.length} total={total} />
        </section>
      )}
    </>
  );
}
