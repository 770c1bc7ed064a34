'use client';

import type { SweepDetail } from '@ablate/contracts';
import { useMemo, useState } from 'react';
import { SweepProgress } from '@/modules/sweeps/components/sweep-progress';
import { ConnectionBadge } from '@/modules/shared/components/connection-badge';
import { StatusBadge } from '@/modules/shared/components/status-badge';
import { useLeaderboard } from '../hooks/use-leaderboard';
import { leaderboardColumns } from '../lib/columns';
import { CancelSweepButton } from './cancel-sweep-button';
import { LearningCurves } from './learning-curves';
import { LeaderboardTable } from './leaderboard-table';
import styles from './leaderboard-live.module.css';

/** The sweep's status, counts and ranked trials, updating live. */
export function LeaderboardLive({ apiUrl, initial }: { apiUrl: string; initial: SweepDetail }) {
  const { sweep, trials, connection, error } = useLeaderboard(apiUrl, initial.sweep.id, initial);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = selectedId === null ? undefined : trials.find((t) => t.id === selectedId);
  // Columns change only with the spec or the template's params, not with every frame of events.
  const paramKeys = Object.keys(trials[0]?.params ?? {}).join('\n');
  const { spec, template, metric } = sweep;
  const columns = useMemo(() => leaderboardColumns({ spec, template, metric }, paramKeys ? paramKeys.split('\n') : []), [spec, template, metric, paramKeys]);
  return (
    <>
      <div className={styles.summary}>
        <span data-testid="sweep-status" data-status={sweep.status}>
          <StatusBadge status={sweep.status} />
        </span>
        <SweepProgress sweep={sweep} />
        <span className={styles.metric}>
          ranked by <strong>{sweep.metric.name}</strong> ({sweep.metric.goal === 'maximize' ? 'higher is better' : 'lower is better'})
        </span>
        <ConnectionBadge state={connection} />
        {(sweep.status === 'queued' || sweep.status === 'running') && <CancelSweepButton sweepId={sweep.id} />}
      </div>
      {error && (
        <p className={styles.error} role="alert">
          Live updates stopped: {error}
        </p>
      )}
      {trials.length < sweep.total && (
        <p className={styles.loading} role="status">
          Showing the top {trials.length} of {sweep.total} trials; the rest arrive with the live connection…
        </p>
      )}
      {trials.length === 0 ? <p className={styles.empty}>This sweep has no trials.</p> : <LeaderboardTable trials={trials} columns={columns} selectedId={selectedId} onSelect={setSelectedId} />}
      {selected && <LearningCurves key={selected.id} trial={selected} varying={columns.varying} onClose={() => setSelectedId(null)} />}
    </>
  );
}
