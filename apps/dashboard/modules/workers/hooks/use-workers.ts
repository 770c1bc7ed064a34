'use client';

import { WorkerSummary } from '@ablate/contracts';
import { useEffect, useState } from 'react';
import { createLiveSocket, watchConnection, type ConnectionState } from '@/modules/scheduler/live-socket';
import { upsertWorker } from '../lib/worker-list';

/** The worker list, live: `workers:subscribe` on every connect (its ack is the whole list), then `worker:updated` per change. */
export function useWorkers(initial: WorkerSummary[], apiUrl: string): { workers: WorkerSummary[]; connection: ConnectionState; now: number } {
  const [workers, setWorkers] = useState(initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const socket = createLiveSocket(apiUrl);
    const stopWatching = watchConnection(socket, setConnection);
    const subscribe = () => {
      socket.emit('workers:subscribe', (result) => {
        const list = result.ok ? WorkerSummary.array().safeParse(result.data) : null;
        if (list?.success) setWorkers(list.data);
      });
    };
    const onWorker = (raw: unknown) => {
      const parsed = WorkerSummary.safeParse(raw);
      if (parsed.success) setWorkers((list) => upsertWorker(list, parsed.data));
    };
    socket.on('connect', subscribe);
    socket.on('worker:updated', onWorker);
    // A silent worker pushes nothing: re-check staleness every few seconds.
    const tick = setInterval(() => setNow(Date.now()), 5_000);
    return () => {
      clearInterval(tick);
      stopWatching();
      socket.off('connect', subscribe);
      socket.off('worker:updated', onWorker);
      socket.disconnect();
    };
  }, [apiUrl]);

  return { workers, connection, now };
}
