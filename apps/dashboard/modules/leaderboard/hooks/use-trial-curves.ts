'use client';

import type { MetricPoint } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { trialMetricsAction } from '../actions/trial-metrics.action';

export interface TrialCurves {
  /** The trial's reported points, as fetched (`TrialCurves` in modules/trial groups them). */
  points: MetricPoint[];
  error: string | null;
}

/** A trial's metric history, fetched again whenever its live `step` moves on. */
export function useTrialCurves(trialId: string, step: number | null): TrialCurves | null {
  const [curves, setCurves] = useState<{ key: string; value: TrialCurves } | null>(null);
  const key = `${trialId}@${step ?? -1}`;

  useEffect(() => {
    let current = true;
    void trialMetricsAction(trialId).then((result) => {
      if (!current) return;
      const value = result.ok ? { points: result.points, error: null } : { points: [], error: result.message };
      setCurves({ key, value });
    });
    return () => {
      current = false;
    };
  }, [trialId, key]);

  // Keep showing the previous step's curves of the same trial while the next ones load.
  return curves && curves.key.startsWith(`${trialId}@`) ? curves.value : null;
}
