'use client';

import { SweepSummary } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createLiveSocket, followLive, type ConnectionState } from '@/modules/scheduler/live-socket';
import { applySweepUpdate, type SweepListPage } from '../lib/sweep-list';

/** One page of the sweep list, kept live over `sweeps:subscribe` / `sweep:updated`. */
export function useSweeps(apiUrl: string, initial: SweepSummary[], where: SweepListPage): { sweeps: SweepSummary[]; connection: ConnectionState } {
  const [sweeps, setSweeps] = useState(initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const { page, project } = where;

  useEffect(() => {
    const here = { page, project };
    return followLive(createLiveSocket(apiUrl), {
      connection: setConnection,
      // The ack carries the newest sweeps of every project: each one on this page is brought up to date.
      subscribe: (socket) =>
        socket.emit('sweeps:subscribe', (result) => {
          if (!result.ok) return;
          const parsed = SweepSummary.array().safeParse(result.data);
          if (parsed.success) setSweeps((current) => parsed.data.reduceRight((list, sweep) => applySweepUpdate(list, sweep, here), current));
        }),
      on: {
        'sweep:updated': (raw) => {
          const parsed = SweepSummary.safeParse(raw);
          if (parsed.success) setSweeps((current) => applySweepUpdate(current, parsed.data, here));
        },
      },
    });
  }, [apiUrl, page, project]);

  return { sweeps, connection };
}
