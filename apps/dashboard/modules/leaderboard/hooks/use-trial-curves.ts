'use client';

import type { MetricPoint } from '@ablate/contracts';
import { useEffect, useRef, useState } from 'react';
import { highestStep, mergeMetricPoints } from '@/modules/trial/lib/metric-points';
import { trialMetricsAction } from '../actions/trial-metrics.action';

export interface TrialCurves {
  /** The trial's reported points, as fetched (`TrialCurves` in modules/trial groups them). */
  points: MetricPoint[];
  error: string | null;
}

/**
 * A trial's metric history: every point when the trial is opened, then, each time its live `step`
 * moves on, only the points after the highest step shown (`afterStep`), appended. A stored point
 * never changes, so nothing fetched before needs fetching again (a 500-epoch trial was 500 full
 * histories). A failed or superseded fetch loses nothing: the next asks from the same step.
 */
export function useTrialCurves(trialId: string, step: number | null): TrialCurves | null {
  const [curves, setCurves] = useState<{ trialId: string; value: TrialCurves } | null>(null);
  const shown = useRef<{ trialId: string; points: MetricPoint[] } | null>(null);

  useEffect(() => {
    const have = shown.current?.trialId === trialId ? shown.current.points : null;
    const from = have ? highestStep(have) : undefined;
    if (have && from !== undefined && step !== null && from >= step) return; // already shown
    let current = true;
    void trialMetricsAction(trialId, from).then((result) => {
      if (!current) return;
      const points = result.ok ? mergeMetricPoints(have ?? [], result.points) : (have ?? []);
      shown.current = { trialId, points };
      setCurves({ trialId, value: { points, error: result.ok ? null : result.message } });
    });
    return () => {
      current = false;
    };
  }, [trialId, step]);

  // Keep showing the previous step's curves of the same trial while the next ones load.
  return curves && curves.trialId === trialId ? curves.value : null;
}
