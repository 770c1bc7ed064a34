'use client';

import { FINISHED_TRIAL_STATUSES, type MetricPoint, type TrialDetail, type TrialLogLine } from '@ablate/contracts';
import Link from 'next/link';
import { ConnectionBadge } from '@/modules/shared/components/connection-badge';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { formatDate, formatMetric } from '@/modules/shared/format';
import { TrialCurves } from '../components/trial-curves';
import { TrialDownloads } from '../components/trial-downloads';
import { TrialErrorPanel } from '../components/trial-error';
import { TrialLog } from '../components/trial-log';
import { TrialParams } from '../components/trial-params';
import { TrialRuns } from '../components/trial-runs';
import styles from '../components/trial.module.css';
import { useLiveTrial } from '../hooks/use-live-trial';

export interface TrialViewProps {
  init: { detail: TrialDetail; points: MetricPoint[]; lines: TrialLogLine[] };
  publicApiUrl: string;
}

/** The trial page: why it failed first (when it did), then curves, params, runs, downloads and the live log. */
export function TrialView({ init, publicApiUrl }: TrialViewProps) {
  const { detail, points, lines, connection } = useLiveTrial(init, publicApiUrl);
  const { trial, sweep } = detail;
  const live = !FINISHED_TRIAL_STATUSES.includes(trial.status);
  return (
    <>
      <header>
        <p className="breadcrumb">
          <Link href="/">Sweeps</Link> / <Link href={`/sweeps/${sweep.id}`}>{sweep.name}</Link> / trial #{trial.index}
        </p>
        <div className={styles.header}>
          <h1>Trial #{trial.index}</h1>
          <StatusBadge status={trial.status} />
          {connection && <ConnectionBadge state={connection} />}
        </div>
        <p className={styles.summary}>
          <span>template {sweep.template}</span>
          <span>
            score ({sweep.metric.name}, {sweep.metric.goal === 'maximize' ? 'best = highest' : 'best = lowest'}) {formatMetric(trial.score)}
          </span>
          <span>epoch {trial.step ?? '—'}</span>
          <span>attempt {trial.attempt}</span>
          {trial.backend && <span>backend {trial.backend}</span>}
          <span>started {formatDate(trial.startedAt ?? detail.runs[0]?.startedAt ?? null)}</span>
          {trial.finishedAt && <span>finished {formatDate(trial.finishedAt)}</span>}
        </p>
        {trial.statusReason && <p data-testid="trial-status-reason">{trial.statusReason}</p>}
      </header>
      {trial.status === 'failed' && <TrialErrorPanel detail={detail} lines={lines} />}
      <div className={styles.grid}>
        <section className="card" aria-label="Learning curves">
          <h2>Learning curves</h2>
          <TrialCurves points={points} metric={sweep.metric} finished={!live} />
        </section>
        <section className="card" aria-label="Params">
          <h2>Params</h2>
          <TrialParams params={trial.params} />
        </section>
      </div>
      <section className="card" aria-label="Runs">
        <h2>Attempts and workers</h2>
        <TrialRuns runs={detail.runs} />
      </section>
      <section className="card" aria-label="Downloads">
        <h2>Downloads</h2>
        <TrialDownloads detail={detail} apiUrl={publicApiUrl} />
      </section>
      <TrialLog lines={lines} live={live} />
    </>
  );
}
