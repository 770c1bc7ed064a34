'use client';

import { WorkerSummary } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createLiveSocket, followLive, type ConnectionState } from '@/modules/scheduler/live-socket';
import { upsertWorker } from '../lib/worker-list';

/** The worker list, live: `workers:subscribe` on every connect (its ack is the whole list), then `worker:updated` per change. */
export function useWorkers(initial: WorkerSummary[], apiUrl: string): { workers: WorkerSummary[]; connection: ConnectionState; now: number } {
  const [workers, setWorkers] = useState(initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const stop = followLive(createLiveSocket(apiUrl), {
      connection: setConnection,
      // Its ack is the whole list.
      subscribe: (socket) =>
        socket.emit('workers:subscribe', (result) => {
          const list = result.ok ? WorkerSummary.array().safeParse(result.data) : null;
          if (list?.success) setWorkers(list.data);
        }),
      on: {
        'worker:updated': (raw) => {
          const parsed = WorkerSummary.safeParse(raw);
          if (parsed.success) setWorkers((list) => upsertWorker(list, parsed.data));
        },
      },
    });
    // A silent worker pushes nothing: re-check staleness every few seconds.
    const tick = setInterval(() => setNow(Date.now()), 5_000);
    return () => {
      clearInterval(tick);
      stop();
    };
  }, [apiUrl]);

  return { workers, connection, now };
}
