'use client';

import type { SweepAnalysis } from '@ablate/contracts';
import { useEffect, useRef, useState } from 'react';
import { createBrowserClient } from '@/modules/scheduler/browser-client';

/** At most one analysis request per this long, however fast trials finish (a 10,000-trial answer is ~1 MB). */
export const ANALYSIS_REFRESH_MS = 3_000;

export type AnalysisState = { analysis: SweepAnalysis | null; error: string | null; loading: boolean };

/**
 * The sweep's analysis (`GET /api/sweeps/:id/analysis`), fetched again when `version` changes —
 * the count of finished trials, which `sweep:updated` pushes — throttled to one request per
 * ANALYSIS_REFRESH_MS with a trailing one, so the last change is always shown. Never polled.
 */
export function useSweepAnalysis(apiUrl: string, sweepId: string, version: string): AnalysisState {
  const [state, setState] = useState<AnalysisState>({ analysis: null, error: null, loading: true });
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);

  useEffect(() => {
    let live = true;
    const load = () => {
      timer.current = null;
      if (inFlight.current) {
        again.current = true;
        return;
      }
      inFlight.current = true;
      last.current = Date.now();
      void createBrowserClient(apiUrl)
        .getSweepAnalysis(sweepId)
        .then(
          (analysis) => live && setState({ analysis, error: null, loading: false }),
          (err: unknown) => live && setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err), loading: false })),
        )
        .finally(() => {
          inFlight.current = false;
          if (again.current && live) {
            again.current = false;
            schedule();
          }
        });
    };
    const schedule = () => {
      if (timer.current) return;
      const wait = Math.max(0, last.current + ANALYSIS_REFRESH_MS - Date.now());
      timer.current = setTimeout(load, wait);
    };
    schedule();
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [apiUrl, sweepId, version]);

  return state;
}
