'use client';

import type { RankedTrial } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createBrowserClient } from '@/modules/scheduler/browser-client';

/** Runs of one configuration at most (repeats are at most 100). */
const RUNS_LIMIT = 100;

export type RunsState = { key: string; runs: RankedTrial[]; error: null } | { key: string; runs: null; error: string };

/**
 * A configuration's single runs (`?config=<key>`), best first; fetched again when `version` (its
 * row's mean, n and counts) changes, so they follow the live table.
 */
export function useConfigurationRuns(apiUrl: string, sweepId: string, key: string, version: string): RunsState | null {
  const [state, setState] = useState<RunsState | null>(null);
  useEffect(() => {
    let current = true;
    void createBrowserClient(apiUrl)
      .getLeaderboard(sweepId, { config: key, limit: RUNS_LIMIT })
      .then(
        (page) => current && setState({ key, runs: page.trials, error: null }),
        (err: unknown) => current && setState({ key, runs: null, error: err instanceof Error ? err.message : String(err) }),
      );
    return () => {
      current = false;
    };
  }, [apiUrl, sweepId, key, version]);
  // Keep showing the previous answer for this configuration while the next one loads.
  return state?.key === key ? state : null;
}
