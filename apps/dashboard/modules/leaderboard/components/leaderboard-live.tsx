'use client';

import type { ConfigurationRow, RankedTrial, TrialSummary } from '@ablate/contracts';
import { useCallback, useMemo, useState } from 'react';
import { MaxTrialsForm } from '@/modules/sweep-control/components/max-trials-form';
import { SweepStatusBar } from '@/modules/sweep-control/components/sweep-status-bar';
import { canRaiseBudget } from '@/modules/sweep-control/lib/steering';
import { SweepEvents } from '@/modules/sweep-events/components/sweep-events';
import { currentBudget } from '@/modules/sweep-events/lib/describe-event';
import { AnalysisPanel } from '@/modules/sweep-analysis/components/analysis-panel';
import { useLeaderboardFeed } from '../hooks/use-leaderboard-feed';
import { constantLine, leaderboardColumns } from '../lib/columns';
import type { FeedInit } from '../lib/leaderboard-feed';
import type { LeaderboardView } from '../lib/leaderboard-view';
import { ConfigurationRuns } from './configuration-runs';
import { ConfigurationTable } from './configuration-table';
import { ExportLinks } from './export-links';
import { LeaderboardTable } from './leaderboard-table';
import { LeaderboardToolbar } from './leaderboard-toolbar';
import { LearningCurves } from './learning-curves';
import { StatusCounts } from './status-counts';
import styles from './leaderboard-live.module.css';

/** The sweep's status and steering, its leaderboard paged from the server and updating live, the analysis (ablation, importance, charts), export, and its activity. */
export function LeaderboardLive({ apiUrl, init }: { apiUrl: string; init: FeedInit }) {
  const { feed, state } = useLeaderboardFeed(apiUrl, init);
  const { sweep, view, total } = state;
  const grouped = view.group === 'config';
  const [selected, setSelected] = useState<TrialSummary | null>(null);
  const [configKey, setConfigKey] = useState<string | null>(null);
  // Columns change only with the spec, the template's params or the grouping, never with events.
  const sample = init.trials[0] ?? feed.rowAt(0);
  const paramKeys = Object.keys(sample?.params ?? {}).join('\n');
  const { spec, template, metric } = sweep;
  const columns = useMemo(() => leaderboardColumns({ spec, template, metric }, paramKeys ? paramKeys.split('\n') : [], grouped), [spec, template, metric, paramKeys, grouped]);
  const trialColumns = useMemo(() => leaderboardColumns({ spec, template, metric }, paramKeys ? paramKeys.split('\n') : []), [spec, template, metric, paramKeys]);
  const onRange = useCallback((start: number, end: number) => feed.setRange(start, end), [feed]);
  const openTrial = (trial: TrialSummary) => {
    feed.watch(trial.id);
    setSelected(trial);
  };
  const closeTrial = () => {
    feed.watch(null);
    setSelected(null);
  };
  const changeView = (next: LeaderboardView) => {
    setConfigKey(null);
    feed.setView(next);
  };
  const shown = selected && (feed.watchedTrial(selected.id) ?? selected);
  const config = configKey === null ? undefined : feed.configuration(configKey);
  const budget = currentBudget(state.events, spec.maxTrials, sweep.total);
  const constants = constantLine(trialColumns.fixed, sample?.params);
  return (
    <>
      <SweepStatusBar sweep={sweep} connection={state.connection} onSweep={(summary) => feed.applySweep(summary)} />
      {state.error && (
        <p className={styles.error} role="alert">
          Live updates stopped: {state.error}
        </p>
      )}
      <div className={styles.toolbar}>
        <LeaderboardToolbar view={view} metrics={trialColumns.metrics} canGroup={(spec.repeats ?? 1) > 1} onChange={changeView} />
        {canRaiseBudget(sweep.status) && <MaxTrialsForm key={budget} sweepId={sweep.id} current={budget} onRaised={(summary) => feed.applySweep(summary)} />}
      </div>
      <div className={styles.toolbar}>
        <StatusCounts counts={sweep.counts} filter={view.status} onFilter={(status) => changeView({ ...view, status })} />
        <ExportLinks apiUrl={apiUrl} sweepId={sweep.id} grouped={(spec.repeats ?? 1) > 1} />
      </div>
      {constants && (
        <p className={styles.constants} data-testid="constant-params" title="params every trial shares (not columns)">
          {constants}
        </p>
      )}
      {state.pageError && (
        <p className={styles.error} role="alert">
          Could not load rows from the scheduler: {state.pageError}
        </p>
      )}
      {total === 0 ? (
        <p className={styles.empty}>{view.status === null ? 'This sweep has no trials yet.' : 'No trial has these statuses.'}</p>
      ) : grouped ? (
        <ConfigurationTable total={total} rowAt={(i) => feed.rowAt(i) as ConfigurationRow | undefined} columns={columns} selectedKey={configKey} onSelect={(row) => setConfigKey(row.key)} onRange={onRange} />
      ) : (
        <LeaderboardTable total={total} rowAt={(i) => feed.rowAt(i) as RankedTrial | undefined} columns={columns} selectedId={selected?.id ?? null} onSelect={openTrial} onRange={onRange} />
      )}
      {grouped && config && <ConfigurationRuns apiUrl={apiUrl} sweepId={sweep.id} row={config} varying={columns.varying} onOpenRun={openTrial} onClose={() => setConfigKey(null)} />}
      <p className={styles.legend} data-testid="score-legend">
        {grouped
          ? `Mean ± std: over each configuration's runs (seeds), of each run's score; n: runs with a score. Score: the best ${metric.name} of any epoch of a run.`
          : `Score: the best ${metric.name} of any epoch so far, @ the epoch it came from; the metric columns show the latest epoch. Enter on a row opens the trial's page; a click shows its curves below.`}
      </p>
      {shown && <LearningCurves key={shown.id} trial={shown} varying={trialColumns.varying} sweepStatus={sweep.status} metric={metric} onClose={closeTrial} />}
      <AnalysisPanel apiUrl={apiUrl} sweep={sweep} parameters={spec.parameters} />
      <SweepEvents events={state.events} />
    </>
  );
}
