'use client';

import type { ParameterSpace, SweepSummary } from '@ablate/contracts';
import { memo } from 'react';
import { useSweepAnalysis } from '../hooks/use-sweep-analysis';
import { AblationTable } from './ablation-table';
import { BestSoFarChart } from './best-so-far-chart';
import { ImportanceBars } from './importance-bars';
import { ParallelPanel } from './parallel-panel';
import styles from './analysis.module.css';

interface AnalysisPanelProps {
  apiUrl: string;
  sweep: Pick<SweepSummary, 'id' | 'counts' | 'total'>;
  parameters: Record<string, ParameterSpace>;
}

/**
 * What the sweep found so far: the ablation table, parameter importance, the best-so-far curve and
 * parallel coordinates, from `GET /api/sweeps/:id/analysis`. Refreshed when the pushed counts say
 * a trial finished (throttled), never polled.
 */
export const AnalysisPanel = memo(function AnalysisPanel({ apiUrl, sweep, parameters }: AnalysisPanelProps) {
  const version = analysisVersion(sweep);
  const { analysis, error, loading } = useSweepAnalysis(apiUrl, sweep.id, version);
  if (!analysis) {
    return (
      <section className={styles.panel} aria-label="Analysis" data-testid="analysis">
        {loading ? <p className={styles.muted}>Loading the analysis…</p> : <p role="alert">Could not load the analysis from the scheduler: {error}. It is tried again when the next trial finishes; reload the page to try now.</p>}
      </section>
    );
  }
  return (
    <section className={styles.panel} aria-label="Analysis" data-testid="analysis" data-completed={analysis.completed}>
      {error && <p role="alert" className={styles.stale}>Showing the analysis as of the last answer: {error}</p>}
      {analysis.completed === 0 && (
        <p className={styles.note} data-testid="analysis-empty">
          No trial has completed yet: the ablation table, importance and parallel coordinates fill in as trials complete. Trials queued and nothing running? Start a worker with <code>ablate worker</code>.
        </p>
      )}
      <div className={styles.grid}>
        <AblationTable analysis={analysis} />
        <ImportanceBars analysis={analysis} />
      </div>
      <div className={styles.grid}>
        <BestSoFarChart analysis={analysis} />
        <ParallelPanel analysis={analysis} parameters={parameters} />
      </div>
    </section>
  );
}, sameAnalysis);

/** What the analysis depends on: finished trials only ever grow, so their counts (and the total) say when it changed. */
function analysisVersion(sweep: AnalysisPanelProps['sweep']): string {
  return `${sweep.counts.completed ?? 0}|${sweep.counts.pruned ?? 0}|${sweep.total}`;
}

/** Trial events re-render the leaderboard many times a second; the panel only when its analysis may have changed. */
function sameAnalysis(a: AnalysisPanelProps, b: AnalysisPanelProps): boolean {
  return a.apiUrl === b.apiUrl && a.sweep.id === b.sweep.id && a.parameters === b.parameters && analysisVersion(a.sweep) === analysisVersion(b.sweep);
}
