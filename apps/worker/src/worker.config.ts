import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { BackoffOptions } from './backoff.js';

/** Environment variables the worker reads. */
export const WorkerEnv = z.object({
  /** Scheduler base URL. */
  ABLATE_API_URL: z.string().url('ABLATE_API_URL must be the scheduler URL, e.g. http://localhost:4000'),
  /** Shared secret, the scheduler's ABLATE_WORKER_TOKEN. */
  ABLATE_WORKER_TOKEN: z.string().min(16, 'ABLATE_WORKER_TOKEN must be at least 16 characters'),
  /** Checkpoints go to <ABLATE_ARTIFACTS_DIR>/trials/<trial id>; share it between nodes to resume elsewhere. */
  ABLATE_ARTIFACTS_DIR: z.string().default(path.join(os.homedir(), '.ablate', 'artifacts')),
  /** How long to wait between lease attempts when the queue is empty. */
  ABLATE_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
});

export interface WorkerConfig {
  apiUrl: string;
  token: string;
  artifactsDir: string;
  pollIntervalMs: number;
  /** Host name reported to the scheduler. */
  host: string;
  /** Folders a spec's dataset and model paths must lie in; default `ABLATE_DATA_ROOTS`, else the dataset cache and `<cwd>/datasets`. */
  dataRoots?: string[];
  /** Retry delays while the scheduler is unreachable (default 0.5 s doubling to 10 s). */
  backoff?: BackoffOptions;
  /** How long a stopping worker keeps trying to hand its trial back (default 5 s); then the lease runs out instead. */
  stopGraceMs?: number;
  /** Connect to `/workers` for pushed stop decisions (default true; tests turn it off to exercise the fallbacks). */
  push?: boolean;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid worker configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return { apiUrl: e.ABLATE_API_URL, token: e.ABLATE_WORKER_TOKEN, artifactsDir: e.ABLATE_ARTIFACTS_DIR, pollIntervalMs: e.ABLATE_POLL_INTERVAL_MS, host: os.hostname() };
}
