import { z } from 'zod';
import { safeText } from './safe-text.js';
import { TrialErrorCode } from './trial-error.js';
import { TrialLogBatch } from './trial-log.schema.js';
import { GpuDevice, LeaseRequest, MAX_GPUS_PER_WORKER, MAX_WORKER_SLOTS, WorkerTelemetry } from './worker-resources.schema.js';

/** Largest step (epoch or iteration number) a report may carry. */
export const MAX_STEP = 100_000_000;

/**
 * Largest magnitude a metric value may have: float32's maximum. Training computes in float32, so a
 * larger value is a bug in the reporter, not a result (it would otherwise top every leaderboard).
 */
export const MAX_METRIC_MAGNITUDE = 3.4028234663852886e38;

/** Header that carries a worker's identity on every call after registration: `<workerId>:<workerSecret>`. */
export const WORKER_IDENTITY_HEADER = 'x-ablate-worker';

/** `POST /api/workers` body: a worker node announces itself. */
export const RegisterWorkerRequest = z.object({
  /** Host name of the node. */
  host: safeText().min(1).max(255),
  /** How many trials it runs at once: GPUs × trials per GPU, plus CPU slots. */
  slots: z.number().int().min(1).max(MAX_WORKER_SLOTS),
  /** TF.js backends available on the node, fastest first. */
  backends: z.array(safeText().min(1).max(40)).max(8).default([]),
  /** GPUs the agent uses (after `--gpus` and `CUDA_VISIBLE_DEVICES`); empty on a CPU node. */
  gpus: z.array(GpuDevice).max(MAX_GPUS_PER_WORKER).default([]),
  /** Trials that share one GPU at once (`--trials-per-gpu`). */
  trialsPerGpu: z.number().int().min(1).max(64).default(1),
  /** Trials it runs on CPU cores at once (`--cpu-slots`), besides its GPU shares. */
  cpuSlots: z.number().int().min(0).max(MAX_WORKER_SLOTS).default(0),
  /** Whether it runs command trials (its `ABLATE_ALLOW_COMMANDS` allows some program); leasing hands command trials only to those that do. Absent: yes, as before the field existed. */
  commands: z.boolean().default(true),
  /** The agent's release (its package version), shown on the workers page so mixed releases are seen; absent from agents before the field. */
  version: safeText().min(1).max(64).optional(),
});
export type RegisterWorkerRequest = z.infer<typeof RegisterWorkerRequest>;
export type RegisterWorkerRequestInput = z.input<typeof RegisterWorkerRequest>;

/** Response to registration. */
export const RegisterWorkerResponse = z.object({
  /** Id to use in every later call. */
  workerId: z.string(),
  /**
   * Secret that proves this registration: send `X-Ablate-Worker: <workerId>:<workerSecret>` on every
   * later call. Only its hash is stored; it is never shown again.
   */
  workerSecret: z.string(),
  /** A lease not renewed (by a report or heartbeat) within this many ms expires and the trial is requeued. */
  leaseTtlMs: z.number().int(),
  /** How often to heartbeat. */
  heartbeatIntervalMs: z.number().int(),
  /** Optional fields of a `completed` report this scheduler applies (`nextLease`, `lastEpoch`, `logs`); an older one leaves this out and would drop them. */
  completionExtras: z.array(z.enum(['nextLease', 'lastEpoch', 'logs'])).default([]),
});
export type RegisterWorkerResponse = z.infer<typeof RegisterWorkerResponse>;

/** A trial handed to a worker. */
export const LeasedTrial = z.object({
  /** Trial id. */
  id: z.string(),
  /** Sweep id. */
  sweepId: z.string(),
  /** Template to run. */
  template: z.string(),
  /** Validated template params. */
  params: z.record(z.string(), z.unknown()),
  /** 1 on the first run, +1 on each retry. */
  attempt: z.number().int(),
  /** Last step already stored (resume after it), or null for a fresh start. */
  resumeAfterStep: z.number().int().nullable(),
  /** GPUs the trial needs (its sweep's `resources.gpus`); 0 runs on any slot. */
  gpus: z.number().int().min(0).default(0),
  /** The sweep's ranking metric: training keeps its best epoch's weights for the final metrics (older schedulers leave it out). */
  metric: z.object({ name: z.string(), goal: z.enum(['minimize', 'maximize']) }).optional(),
  /** ISO time the lease expires unless renewed. */
  leaseExpiresAt: z.string(),
});
export type LeasedTrial = z.infer<typeof LeasedTrial>;

/** Response of `POST /api/workers/:id/lease`. */
export const LeaseResponse = z.object({ /** The trial to run, or null when the queue is empty. */ trial: LeasedTrial.nullable() });
export type LeaseResponse = z.infer<typeof LeaseResponse>;

const metricValue = z
  .number()
  .refine(Number.isFinite, 'metric values must be finite numbers')
  .refine((v) => Math.abs(v) <= MAX_METRIC_MAGNITUDE, `metric values must lie within ±${MAX_METRIC_MAGNITUDE} (float32)`);
const metricName = z.string().regex(/^[A-Za-z0-9_./-]{1,100}$/, 'metric names are 1-100 letters, digits, "_", ".", "/" or "-"');
const Metrics = z.record(metricName, metricValue).refine((m) => Object.keys(m).length <= 100, 'at most 100 metrics per report');
const Step = z.number().int().min(0).max(MAX_STEP, `step must be at most ${MAX_STEP}`);
const Backend = safeText().min(1).max(40);
/** A worker id as a report names it: storable text, so a NUL never reaches a query. */
const WorkerIdField = safeText().max(64);

/** `POST /api/trials/:id/reports` body: what a worker says about a trial it holds. */
export const TrialReport = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('epoch'),
    /** Worker that holds the lease. */
    workerId: WorkerIdField,
    /** Epoch number, from 1. */
    step: Step,
    /** Metric values at this step. */
    metrics: Metrics,
    /** Backend that trains the trial. */
    backend: Backend.optional(),
  }),
  z.object({
    type: z.literal('completed'),
    workerId: WorkerIdField,
    /** Step the final metrics belong to. */
    step: Step,
    /** Step (epoch) whose weights the final metrics were measured on: the best by the sweep's metric (`step` when left out). */
    scoreStep: Step.optional(),
    /** Final metrics (e.g. test accuracy). */
    metrics: Metrics,
    backend: Backend.optional(),
    /** What the worker can hold once this trial ends (its slot counted free): the answer then also leases it the next trial (`next`), sparing a lease call. */
    nextLease: LeaseRequest.optional(),
    /** The trial's last `epoch` report when it was still unsent as the completion came: applied first, exactly as that report alone would be (one call instead of two). */
    lastEpoch: z.object({ /** Epoch number. */ step: Step, /** Metric values at this step. */ metrics: Metrics }).optional(),
    /** The trial's log lines still unsent as the completion leaves (as `POST /api/trials/:id/logs` takes them): stored before the completion is applied, once however often it is sent. */
    logs: TrialLogBatch.pick({ attempt: true, lines: true }).optional(),
  }),
  z.object({
    type: z.literal('released'),
    workerId: WorkerIdField,
    /** Why the worker gives the trial back (e.g. it is shutting down). Does not count as a failure. */
    reason: safeText().min(1).max(1000),
  }),
  z.object({
    type: z.literal('failed'),
    workerId: WorkerIdField,
    /** What went wrong, for the user. */
    error: safeText().min(1).max(4000),
    /** False for errors a retry cannot fix (bad params, missing data). */
    retryable: z.boolean().default(true),
    /** What kind of failure (see `TrialErrorCode`); older agents leave it out. */
    code: TrialErrorCode.optional(),
  }),
]);
export type TrialReport = z.infer<typeof TrialReport>;

/** Response to a report. */
export const ReportResponse = z.object({
  /** True when the worker must stop the trial now (cancelled, pruned or paused; see `decision`). */
  cancel: z.boolean(),
  /**
   * What the worker does next: `continue` training; `cancel` (the user cancelled it), `prune`
   * (the pruner ended it) or `pause` (ASHA paused it at a rung; its checkpoint must be kept, it may
   * be promoted later) all mean stop now.
   */
  decision: z.enum(['continue', 'cancel', 'prune', 'pause']).default('continue'),
  /** Why, for the worker's log. */
  reason: z.string().nullable().default(null),
  /** New lease expiry. */
  leaseExpiresAt: z.string().nullable(),
  /** The trial leased for the worker's next run when its `completed` report had `nextLease` and was applied (null: none fits now); absent when it did not ask. */
  next: LeasedTrial.nullable().optional(),
});
export type ReportResponse = z.infer<typeof ReportResponse>;

/** `POST /api/workers/:id/heartbeat` body. */
export const HeartbeatRequest = z.object({
  /** Trials the agent is still running; only their leases are renewed, any other lease it holds runs out. */
  trialIds: z.array(z.string().uuid()).max(MAX_WORKER_SLOTS).default([]),
  /** The node's gauges and slots, shown on the workers page; older agents send none. */
  telemetry: WorkerTelemetry.optional(),
});
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;
export type HeartbeatRequestInput = z.input<typeof HeartbeatRequest>;

/** Response to a heartbeat. */
export const HeartbeatResponse = z.object({
  /** Trials whose lease was renewed. */
  renewed: z.array(z.string()),
  /** Trials of `trialIds` the worker must stop: cancelled, finished, or no longer held by it. */
  stop: z.array(z.string()),
  /** New lease expiry of the renewed trials. */
  leaseExpiresAt: z.string(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

/** A registered worker as `GET /api/workers` lists it; its secret is never shown. */
export const WorkerSummary = z.object({
  /** Worker id (uuid). */
  id: z.string(),
  /** Host name it registered with. */
  host: z.string(),
  /** How many trials it runs at once. */
  slots: z.number().int(),
  /** TF.js backends it offered, fastest first. */
  backends: z.array(z.string()),
  /** GPUs it registered. */
  gpus: z.array(GpuDevice).default([]),
  /** Trials sharing one GPU. */
  trialsPerGpu: z.number().int().default(1),
  /** CPU slots besides its GPU shares. */
  cpuSlots: z.number().int().default(0),
  /** Whether it runs command trials (`ABLATE_ALLOW_COMMANDS`); the scheduler always says (optional for readers of older answers). */
  commands: z.boolean().optional(),
  /** `live`, or `lost` when its last heartbeat is older than the lease TTL (its trials are being requeued). */
  state: z.enum(['live', 'lost']).default('live'),
  /** Gauges and slots of its last heartbeat (null before the first one that carried them). */
  telemetry: WorkerTelemetry.nullable().default(null),
  /** ISO time it registered. */
  registeredAt: z.string(),
  /** ISO time of its last heartbeat or lease. */
  lastHeartbeatAt: z.string(),
  /** Trials it holds a live lease on. */
  leases: z.number().int(),
  /** The agent's release it registered with; null for an agent that did not say (before the field). */
  version: z.string().nullable().default(null),
});
export type WorkerSummary = z.infer<typeof WorkerSummary>;

/** Response of `GET /api/workers`. */
export const WorkerList = z.object({ /** Most recently seen first. */ workers: z.array(WorkerSummary) });
export type WorkerList = z.infer<typeof WorkerList>;

/** Socket.io namespace workers connect to, to have stop decisions pushed within a second. */
export const WORKERS_NAMESPACE = '/workers';

/** A stop decision pushed to the worker running the trial. */
export const TrialStopOrder = z.object({
  /** Trial to stop. */
  trialId: z.string(),
  /** `cancel`, `prune` or `pause` (keep the checkpoint: it may be promoted). */
  decision: z.enum(['cancel', 'prune', 'pause']),
  /** Why, for the worker's log. */
  reason: z.string(),
});
export type TrialStopOrder = z.infer<typeof TrialStopOrder>;

/** Events the scheduler pushes to a worker (namespace `/workers`, authenticated by pool token and worker identity in the handshake `auth`). */
export interface WorkerServerToClientEvents {
  /** Stop this trial now; the worker reports nothing more for it (a `pause` keeps its checkpoint). */
  'trial:stop': (order: TrialStopOrder) => void;
}

/**
 * The socket.io handshake `auth` a worker sends on `/workers`: the same two credentials its REST
 * calls carry, so a holder of the pool token alone cannot listen to another worker's orders.
 */
export const WorkerSocketAuth = z.object({
  /** The pool token (`ABLATE_WORKER_TOKEN`), without `Bearer`. */
  token: z.string().max(512),
  /** `<workerId>:<workerSecret>` from registration, as in the `X-Ablate-Worker` header. */
  worker: z.string().max(512),
});
export type WorkerSocketAuth = z.infer<typeof WorkerSocketAuth>;

/** Events a worker sends on `/workers` (none today: reports stay on REST, which is idempotent). */
export type WorkerClientToServerEvents = Record<string, never>;
