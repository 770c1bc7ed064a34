'use client';

import type { WorkerSummary } from '@ablate/contracts';
import { ConnectionBadge } from '@/modules/shared/components/connection-badge';
import { WorkerCard } from '../components/worker-card';
import styles from '../components/workers.module.css';
import { useWorkers } from '../hooks/use-workers';
import { workerState } from '../lib/worker-list';

/** Worker nodes, live: slots and their trials, CPU/RAM/GPU gauges, lost nodes marked. */
export function WorkersView({ initial, publicApiUrl }: { initial: WorkerSummary[]; publicApiUrl: string }) {
  const { workers, connection, now } = useWorkers(initial, publicApiUrl);
  const states = workers.map((w) => workerState(w, now));
  const live = states.filter((s) => s === 'live').length;
  const slots = workers.reduce((sum, w, i) => sum + (states[i] === 'live' ? w.slots : 0), 0);
  return (
    <>
      <header className={styles.header}>
        <h1>Workers</h1>
        <ConnectionBadge state={connection} />
        <span className={styles.muted} data-testid="workers-summary">
          {live} live of {workers.length} · {slots} slots
        </span>
      </header>
      {live === 0 && <StartWorkerHint apiUrl={publicApiUrl} none={workers.length === 0} />}
      <div className={styles.list}>
        {workers.map((worker, i) => (
          <WorkerCard key={worker.id} worker={worker} state={states[i] ?? 'live'} />
        ))}
      </div>
    </>
  );
}

/** No live worker: trials stay queued until one starts; say how. */
function StartWorkerHint({ apiUrl, none }: { apiUrl: string; none: boolean }) {
  return (
    <section className={`card ${styles.empty}`} data-testid="workers-empty">
      <h2>{none ? 'No worker has connected yet' : 'No live worker'}</h2>
      <p>Queued trials wait until a worker leases them. Start one on each machine that should train (it uses every GPU it finds, or one trial per CPU core):</p>
      <pre>
        <code>{`ablate worker --api ${apiUrl} --token <ABLATE_WORKER_TOKEN>   # [--gpus 0,1] [--trials-per-gpu 2] [--cpu-slots 4]`}</code>
      </pre>
      <p>
        On this machine, <code>npm start</code> (or <code>ablate up</code>) starts the scheduler, the dashboard and a local worker together.
      </p>
    </section>
  );
}
