import { z } from 'zod';

/** `POST /api/workers` body: a worker node announces itself. */
export const RegisterWorkerRequest = z.object({
  /** Host name of the node. */
  host: z.string().min(1).max(255),
  /** How many trials it runs at once (usually one per GPU). */
  slots: z.number().int().min(1).max(64),
  /** TF.js backends available on the node, fastest first. */
  backends: z.array(z.string()).default([]),
});
export type RegisterWorkerRequest = z.infer<typeof RegisterWorkerRequest>;

/** Response to registration. */
export const RegisterWorkerResponse = z.object({
  /** Id to use in every later call. */
  workerId: z.string(),
  /** A lease not renewed (by a report or heartbeat) within this many ms expires and the trial is requeued. */
  leaseTtlMs: z.number().int(),
  /** How often to heartbeat. */
  heartbeatIntervalMs: z.number().int(),
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
  /** ISO time the lease expires unless renewed. */
  leaseExpiresAt: z.string(),
});
export type LeasedTrial = z.infer<typeof LeasedTrial>;

/** Response of `POST /api/workers/:id/lease`. */
export const LeaseResponse = z.object({ /** The trial to run, or null when the queue is empty. */ trial: LeasedTrial.nullable() });
export type LeaseResponse = z.infer<typeof LeaseResponse>;

const finite = z.number().refine(Number.isFinite, 'metric values must be finite numbers');
const Metrics = z.record(z.string().min(1).max(100), finite).refine((m) => Object.keys(m).length <= 100, 'at most 100 metrics per report');

/** `POST /api/trials/:id/reports` body: what a worker says about a trial it holds. */
export const TrialReport = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('epoch'),
    /** Worker that holds the lease. */
    workerId: z.string(),
    /** Epoch number, from 1. */
    step: z.number().int().min(0),
    /** Metric values at this step. */
    metrics: Metrics,
    /** Backend that trains the trial. */
    backend: z.string().optional(),
  }),
  z.object({
    type: z.literal('completed'),
    workerId: z.string(),
    /** Step the final metrics belong to. */
    step: z.number().int().min(0),
    /** Final metrics (e.g. test accuracy). */
    metrics: Metrics,
    backend: z.string().optional(),
  }),
  z.object({
    type: z.literal('released'),
    workerId: z.string(),
    /** Why the worker gives the trial back (e.g. it is shutting down). Does not count as a failure. */
    reason: z.string().min(1).max(1000),
  }),
  z.object({
    type: z.literal('failed'),
    workerId: z.string(),
    /** What went wrong, for the user. */
    error: z.string().min(1).max(4000),
    /** False for errors a retry cannot fix (bad params, missing data). */
    retryable: z.boolean().default(true),
  }),
]);
export type TrialReport = z.infer<typeof TrialReport>;

/** Response to a report. */
export const ReportResponse = z.object({
  /** True when the trial was cancelled: the worker should stop it. */
  cancel: z.boolean(),
  /** New lease expiry. */
  leaseExpiresAt: z.string().nullable(),
});
export type ReportResponse = z.infer<typeof ReportResponse>;
