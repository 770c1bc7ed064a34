import type { WorkerSummary } from '@ablate/contracts';
import Link from 'next/link';
import { formatDate, formatTime } from '@/modules/shared/format';
import { commandsBadge, formatBytes, listedSlots, percentOf, workerSlots } from '../lib/worker-list';
import { Gauge } from './gauge';
import styles from './workers.module.css';

/** One node: its state, gauges (CPU, RAM, each GPU's utilisation and memory) and its slots with the trial each runs. */
export function WorkerCard({ worker, state }: { worker: WorkerSummary; state: 'live' | 'lost' }) {
  const { busy } = workerSlots(worker);
  const { slots, freeNotListed } = listedSlots(worker);
  const t = worker.telemetry;
  const commands = commandsBadge(worker);
  return (
    <article className={`card ${styles.worker} ${state === 'lost' ? styles.lost : ''}`} data-testid="worker-card" data-state={state} aria-label={`Worker ${worker.host}`}>
      <header className={styles.workerHeader}>
        <h2>{worker.host}</h2>
        <span className={`${styles.state} ${styles[state]}`} data-testid="worker-state">
          {state === 'lost' ? 'lost' : 'live'}
        </span>
        {commands && (
          <span className={`${styles.state} ${commands.allowed ? styles.commands : styles.noCommands}`} title={commands.title} data-testid="worker-commands" data-allowed={commands.allowed}>
            {commands.text}
          </span>
        )}
        <span className={styles.muted}>
          {busy}/{worker.slots} slots busy · {worker.gpus.length > 0 ? `${worker.gpus.length} GPU × ${worker.trialsPerGpu} + ` : ''}
          {worker.cpuSlots} CPU · backends {worker.backends.join(', ') || '—'}
        </span>
      </header>
      {state === 'lost' && (
        <p className={styles.lostNote}>
          No heartbeat since {formatDate(worker.lastHeartbeatAt)}: its trials go back to the queue once their leases run out. Check the node, or restart its agent.
        </p>
      )}
      <div className={styles.gauges}>
        {t ? (
          <>
            <Gauge label={`CPU (${t.cpu.cores} cores)`} percent={t.cpu.utilizationPercent} detail={`${Math.round(t.cpu.utilizationPercent)}%`} />
            <Gauge label="RAM" percent={percentOf(t.memory.usedBytes, t.memory.totalBytes)} detail={`${formatBytes(t.memory.usedBytes)} / ${formatBytes(t.memory.totalBytes)}`} />
            {t.gpus.map((g) => {
              const name = worker.gpus.find((d) => d.index === g.index)?.name ?? '';
              return (
                <div key={g.index} className={styles.gpu} data-testid="gpu-gauges">
                  <Gauge label={`GPU ${g.index} ${name}`} percent={g.utilizationPercent} detail={g.utilizationPercent === null ? 'n/a' : `${Math.round(g.utilizationPercent)}%`} />
                  <Gauge
                    label={`GPU ${g.index} memory`}
                    percent={percentOf(g.memoryUsedMb, g.memoryTotalMb)}
                    detail={g.memoryUsedMb === null ? 'n/a' : `${formatBytes(g.memoryUsedMb * 2 ** 20)} / ${formatBytes(g.memoryTotalMb * 2 ** 20)}`}
                  />
                </div>
              );
            })}
          </>
        ) : (
          <p className={styles.muted}>No gauges yet: they arrive with the agent&apos;s next heartbeat (older agents send none).</p>
        )}
      </div>
      <ul className={styles.slots} data-testid="worker-slots" aria-label="Slots">
        {slots.map((slot) => (
          <li key={slot.name} className={slot.busy ? styles.busySlot : styles.freeSlot} data-testid="worker-slot">
            <span className={styles.slotName}>{slot.name}</span>
            {slot.gpus.length > 0 && <span className={styles.muted}> GPU {slot.gpus.join(',')}</span>}
            {slot.trialId ? (
              <Link href={`/trials/${slot.trialId}`} className={styles.slotTrial}>
                trial {slot.trialId.slice(0, 8)}
              </Link>
            ) : (
              <span className={styles.muted}>{slot.busy ? 'busy' : 'free'}</span>
            )}
          </li>
        ))}
        {freeNotListed > 0 && (
          <li className={`${styles.freeSlot} ${styles.moreSlots}`} data-testid="more-free-slots">
            <span className={styles.muted}>+ {freeNotListed} more free slots</span>
          </li>
        )}
      </ul>
      <p className={styles.footer}>
        registered {formatDate(worker.registeredAt)} · last heartbeat {formatTime(worker.lastHeartbeatAt)} · id <code>{worker.id.slice(0, 8)}</code>
        {' · '}
        <span data-testid="worker-version" title="the agent's release it registered with">{worker.version ? `agent ${worker.version}` : 'agent release unknown (older agent)'}</span>
      </p>
    </article>
  );
}
