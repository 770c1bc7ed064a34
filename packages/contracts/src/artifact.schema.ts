import { z } from 'zod';

/**
 * Checkpoints in the scheduler's artifact store. A worker that holds a trial's lease uploads the
 * trial's checkpoint folder as one gzipped tar (`PUT /api/trials/:id/checkpoint`, the step in
 * `CHECKPOINT_STEP_HEADER`) and downloads the latest one before resuming it on any node
 * (`GET /api/trials/:id/checkpoint`, the step in the same header). Users download it from
 * `GET /api/trials/:id/checkpoint/download`.
 */

/** Header that carries the step (epoch) a checkpoint archive was taken at, on upload and download. */
export const CHECKPOINT_STEP_HEADER = 'x-ablate-checkpoint-step';

/** Media type of a checkpoint archive: the trial's checkpoint folder as a gzipped tar. */
export const CHECKPOINT_MEDIA_TYPE = 'application/gzip';

/** Largest archive the scheduler stores by default (ABLATE_CHECKPOINT_MAX_BYTES): 1 GiB. */
export const DEFAULT_MAX_CHECKPOINT_BYTES = 1024 ** 3;

/** What the scheduler stored: the answer to an upload. */
export const CheckpointInfo = z.object({
  /** The trial the checkpoint belongs to. */
  trialId: z.string(),
  /** Step (epoch) it was taken at; a resumed trial continues after it. */
  step: z.number().int().min(0),
  /** Size of the archive in bytes. */
  bytes: z.number().int().min(0),
  /** SHA-256 of the archive, hex. */
  sha256: z.string(),
  /** When the scheduler stored it (ISO 8601). */
  storedAt: z.string(),
});
export type CheckpointInfo = z.infer<typeof CheckpointInfo>;

/** The step in `CHECKPOINT_STEP_HEADER`, or null when the value is not a whole number ≥ 0. */
export function parseCheckpointStep(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\d{1,9}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** The answer to removing a trial's checkpoint. */
export const CheckpointRemoval = z.object({
  /** The trial. */
  trialId: z.string(),
  /** False when there was nothing stored to remove. */
  removed: z.boolean(),
});
export type CheckpointRemoval = z.infer<typeof CheckpointRemoval>;
