import type { GpuDevice, WorkerSummary, WorkerTelemetry } from '@ablate/contracts';

/** Columns of a worker as lists show it, with the live leases it holds; never the secret hash. */
export const WORKER_SUMMARY_COLUMNS = `w.id, w.host, w.slots, w.backends, w.gpus, w.trials_per_gpu, w.cpu_slots, w.commands, w.telemetry,
  w.registered_at, w.last_heartbeat_at, w.version,
  (SELECT count(*)::int FROM trials t WHERE t.lease_owner = w.id AND t.status IN ('leased', 'running')) AS leases`;

export interface WorkerSummaryRow {
  id: string;
  host: string;
  slots: number;
  backends: string[];
  gpus: GpuDevice[];
  trials_per_gpu: number;
  cpu_slots: number;
  commands: boolean;
  telemetry: WorkerTelemetry | null;
  registered_at: Date;
  last_heartbeat_at: Date;
  version: string | null;
  leases: number;
}

/**
 * A worker row as `GET /api/workers` shows it. `lostBefore`: a worker whose last heartbeat is older
 * is `lost` (its leases run out and its trials are requeued; it may still come back).
 */
export function toWorkerSummary(r: WorkerSummaryRow, lostBefore: Date): WorkerSummary {
  return {
    id: r.id,
    host: r.host,
    slots: r.slots,
    backends: r.backends,
    gpus: r.gpus,
    trialsPerGpu: r.trials_per_gpu,
    cpuSlots: r.cpu_slots,
    commands: r.commands,
    state: r.last_heartbeat_at < lostBefore ? 'lost' : 'live',
    telemetry: r.telemetry,
    registeredAt: r.registered_at.toISOString(),
    lastHeartbeatAt: r.last_heartbeat_at.toISOString(),
    leases: r.leases,
    version: r.version,
  };
}
