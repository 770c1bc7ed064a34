'use client';

import { SweepSummary } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createLiveSocket, watchConnection, type ConnectionState } from '@/modules/scheduler/live-socket';
import { applySweepUpdate, type SweepListPage } from '../lib/sweep-list';

/** One page of the sweep list, kept live over `sweeps:subscribe` / `sweep:updated`. */
export function useSweeps(apiUrl: string, initial: SweepSummary[], where: SweepListPage): { sweeps: SweepSummary[]; connection: ConnectionState } {
  const [sweeps, setSweeps] = useState(initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const { page, project } = where;

  useEffect(() => {
    const socket = createLiveSocket(apiUrl);
    const stopWatching = watchConnection(socket, setConnection);
    const here = { page, project };
    // On every (re)connect: the server forgot our subscription, and we may have missed events. The
    // ack carries the newest sweeps of every project: each one on this page is brought up to date.
    const subscribe = () =>
      socket.emit('sweeps:subscribe', (result) => {
        if (!result.ok) return;
        const parsed = SweepSummary.array().safeParse(result.data);
        if (parsed.success) setSweeps((current) => parsed.data.reduceRight((list, sweep) => applySweepUpdate(list, sweep, here), current));
      });
    const onSweep = (raw: unknown) => {
      const parsed = SweepSummary.safeParse(raw);
      if (parsed.success) setSweeps((current) => applySweepUpdate(current, parsed.data, here));
    };
    socket.on('connect', subscribe);
    socket.on('sweep:updated', onSweep);
    return () => {
      stopWatching();
      socket.off('connect', subscribe);
      socket.off('sweep:updated', onSweep);
      socket.disconnect();
    };
  }, [apiUrl, page, project]);

  return { sweeps, connection };
}
