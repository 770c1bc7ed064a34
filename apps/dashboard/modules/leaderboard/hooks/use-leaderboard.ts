'use client';

import { SweepDetail, SweepSummary, TrialSummary, type RankedTrial } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createLiveSocket, watchConnection, type ConnectionState } from '@/modules/scheduler/live-socket';
import { TrialStore } from '../lib/trial-store';

export interface Leaderboard {
  sweep: SweepDetail['sweep'];
  /** Ranked, best first. */
  trials: RankedTrial[];
  connection: ConnectionState;
  /** Why the live subscription failed, if it did. */
  error: string | null;
}

/**
 * Follows one sweep live. Events land in a Map in O(1); re-ranking (O(n log n)) happens at most
 * once per animation frame however many events arrived, so 10,000 trials reporting every epoch
 * cost one sort per frame. Re-subscribes on every reconnect, from a fresh snapshot.
 */
export function useLeaderboard(apiUrl: string, sweepId: string, initial: SweepDetail): Leaderboard {
  const [sweep, setSweep] = useState(initial.sweep);
  const [trials, setTrials] = useState(initial.trials);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [error, setError] = useState<string | null>(null);
  const [store] = useState(() => new TrialStore(initial.sweep.metric.goal, initial.trials));

  useEffect(() => {
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      setTrials(store.ranked());
    };
    const scheduleRank = () => {
      frame ??= requestAnimationFrame(flush);
    };

    const socket = createLiveSocket(apiUrl);
    const stopWatching = watchConnection(socket, setConnection);
    const subscribe = () => {
      store.beginResync();
      socket.emit('sweep:subscribe', sweepId, (result) => {
        const parsed = result.ok ? SweepDetail.safeParse(result.data) : null;
        if (!parsed?.success) {
          store.abandonResync();
          setError(result.ok ? 'The scheduler sent a leaderboard this dashboard does not understand.' : result.error.message);
          return;
        }
        setError(null);
        setSweep(parsed.data.sweep);
        store.resync(parsed.data.sweep.metric.goal, parsed.data.trials);
        scheduleRank();
      });
    };
    const onTrial = (raw: unknown) => {
      const parsed = TrialSummary.safeParse(raw);
      if (!parsed.success || parsed.data.sweepId !== sweepId) return;
      store.apply(parsed.data);
      scheduleRank();
    };
    const onSweep = (raw: unknown) => {
      const parsed = SweepSummary.safeParse(raw);
      if (parsed.success && parsed.data.id === sweepId) setSweep((current) => ({ ...current, ...parsed.data }));
    };

    socket.on('connect', subscribe);
    socket.on('trial:updated', onTrial);
    socket.on('sweep:updated', onSweep);
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      stopWatching();
      socket.off('connect', subscribe);
      socket.off('trial:updated', onTrial);
      socket.off('sweep:updated', onSweep);
      if (socket.connected) socket.emit('sweep:unsubscribe', sweepId);
      socket.disconnect();
    };
  }, [apiUrl, sweepId, store]);

  return { sweep, trials, connection, error };
}
