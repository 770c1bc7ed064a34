import { z } from 'zod';
import { safeText } from './safe-text.js';

/** Most GPUs one node registers (an 8-GPU node is the usual top; 64 leaves room for MIG slices). */
export const MAX_GPUS_PER_WORKER = 64;

/** Most trials one node runs at once (GPU shares and CPU slots together). */
export const MAX_WORKER_SLOTS = 1024;

/** A GPU of a worker node, as `nvidia-smi --query-gpu=index,name,memory.total` lists it. */
export const GpuDevice = z.object({
  /** Index as the node numbers it (what `CUDA_VISIBLE_DEVICES` names). */
  index: z.number().int().min(0).max(1023),
  /** Model name, e.g. `NVIDIA A100-SXM4-80GB`. */
  name: safeText().max(200),
  /** Memory in MiB. */
  memoryTotalMb: z.number().int().min(0),
});
export type GpuDevice = z.infer<typeof GpuDevice>;

/** What `resources` a sweep asks of the worker that runs each of its trials. */
export const TrialResources = z
  .object({
    /** GPUs each trial needs (0: none; it runs on any slot). Leasing hands a trial only to a worker with this many free. */
    gpus: z.number().int().min(0).max(MAX_GPUS_PER_WORKER).default(0),
  })
  .strict();
export type TrialResources = z.infer<typeof TrialResources>;

/** `POST /api/workers/:id/lease` body: what the worker can hold right now. */
export const LeaseRequest = z.object({
  /** GPUs with a free share (each may take one more trial). A trial needing more GPUs is not handed out. */
  freeGpus: z.number().int().min(0).max(MAX_GPUS_PER_WORKER).default(0),
  /** Trials it can start now (free GPU shares plus free CPU slots); 0 leases nothing. */
  freeSlots: z.number().int().min(0).max(MAX_WORKER_SLOTS).default(1),
});
export type LeaseRequest = z.infer<typeof LeaseRequest>;
export type LeaseRequestInput = z.input<typeof LeaseRequest>;

/** One GPU's gauges at the time of a heartbeat. */
export const GpuGauge = z.object({
  /** GPU index on the node. */
  index: z.number().int().min(0).max(1023),
  /** Busy share of the last sample period, 0-100 (null when the driver does not say). */
  utilizationPercent: z.number().min(0).max(100).nullable(),
  /** Memory in use, MiB (null when the driver does not say). */
  memoryUsedMb: z.number().min(0).nullable(),
  /** Memory in all, MiB. */
  memoryTotalMb: z.number().min(0),
});
export type GpuGauge = z.infer<typeof GpuGauge>;

/** One slot of a worker: a share of one or more GPUs, or a CPU core, and what it runs. */
export const WorkerSlot = z.object({
  /** Stable name within the worker: `gpu0/1` (share 1 of GPU 0) or `cpu3`. */
  name: safeText().max(40),
  /** GPUs it uses (empty for a CPU slot). */
  gpus: z.array(z.number().int().min(0).max(1023)).max(MAX_GPUS_PER_WORKER),
  /** Trial it runs, or null when free. */
  trialId: z.string().uuid().nullable(),
});
export type WorkerSlot = z.infer<typeof WorkerSlot>;

/** What a node reports with each heartbeat: its gauges and what each slot runs. */
export const WorkerTelemetry = z.object({
  /** CPU: busy share of all cores since the previous heartbeat (0-100), and how many cores. */
  cpu: z.object({ /** Busy share, 0-100. */ utilizationPercent: z.number().min(0).max(100), /** Logical cores. */ cores: z.number().int().min(1) }),
  /** RAM of the node in bytes. */
  memory: z.object({ /** In use (total minus available). */ usedBytes: z.number().min(0), /** Installed. */ totalBytes: z.number().min(0) }),
  /** Per-GPU gauges (empty on a node without GPUs). */
  gpus: z.array(GpuGauge).max(MAX_GPUS_PER_WORKER),
  /** Every slot and its trial. */
  slots: z.array(WorkerSlot).max(MAX_WORKER_SLOTS),
});
export type WorkerTelemetry = z.infer<typeof WorkerTelemetry>;
