'use client';

import { SweepSummary } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createLiveSocket, watchConnection, type ConnectionState } from '@/modules/scheduler/live-socket';

/** The sweep list, newest first, kept live over `sweeps:subscribe` / `sweep:updated`. */
export function useSweeps(apiUrl: string, initial: SweepSummary[]): { sweeps: SweepSummary[]; connection: ConnectionState } {
  const [sweeps, setSweeps] = useState(() => newestFirst(initial));
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  useEffect(() => {
    const socket = createLiveSocket(apiUrl);
    const stopWatching = watchConnection(socket, setConnection);
    // On every (re)connect: the server forgot our subscription, and we may have missed events.
    const subscribe = () =>
      socket.emit('sweeps:subscribe', (result) => {
        if (!result.ok) return;
        const parsed = SweepSummary.array().safeParse(result.data);
        if (parsed.success) setSweeps(newestFirst(parsed.data));
      });
    const onSweep = (raw: unknown) => {
      const parsed = SweepSummary.safeParse(raw);
      if (parsed.success) setSweeps((current) => upsert(current, parsed.data));
    };
    socket.on('connect', subscribe);
    socket.on('sweep:updated', onSweep);
    return () => {
      stopWatching();
      socket.off('connect', subscribe);
      socket.off('sweep:updated', onSweep);
      socket.disconnect();
    };
  }, [apiUrl]);

  return { sweeps, connection };
}

function upsert(sweeps: SweepSummary[], sweep: SweepSummary): SweepSummary[] {
  const index = sweeps.findIndex((s) => s.id === sweep.id);
  if (index === -1) return newestFirst([sweep, ...sweeps]);
  return sweeps.map((s, i) => (i === index ? sweep : s));
}

function newestFirst(sweeps: SweepSummary[]): SweepSummary[] {
  return [...sweeps].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
