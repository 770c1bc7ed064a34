import { cacheMaxBytes } from '@ablate/models/cache';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { artifactStoreFromEnv, type ArtifactStoreSpec } from './artifacts/artifact-store.config.js';
import type { BackoffOptions } from './backoff.js';
import type { CommandPolicy } from './command/command-policy.js';
import type { GpuProbe } from './gpu/gpu-probe.js';
import type { TrialLauncher } from './trial-process/trial-process.js';

/** A whole-number setting: blank counts as unset; a word or a fraction says what to give instead. */
const count = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ error: `${name} must be a number, e.g. 2` })
      .int(`${name} must be a whole number`)
      .min(min, `${name} must be at least ${min}`)
      .max(max, `${name} must be at most ${max}`)
      .optional(),
  );

/** Environment variables the worker reads (`ablate worker` flags set the same ones). */
export const WorkerEnv = z.object({
  /** Scheduler base URL. */
  ABLATE_API_URL: z
    .string()
    .url('ABLATE_API_URL (--api) must be the scheduler URL, e.g. http://localhost:4000'),
  /** Shared secret, the scheduler's ABLATE_WORKER_TOKEN. */
  ABLATE_WORKER_TOKEN: z.string().min(16, 'ABLATE_WORKER_TOKEN (--token) must be at least 16 characters'),
  /** Checkpoints go to <ABLATE_ARTIFACTS_DIR>/trials/<trial id>; share it between nodes to resume elsewhere. */
  ABLATE_ARTIFACTS_DIR: z.string().default(path.join(os.homedir(), '.ablate', 'artifacts')),
  /** How long to wait between lease attempts when the queue is empty. */
  ABLATE_POLL_INTERVAL_MS: count('ABLATE_POLL_INTERVAL_MS', 50).default(1000),
  /** GPUs to use (`--gpus`): indices such as `0,1`, `all` (default) or `none`. */
  ABLATE_GPUS: z.string().optional(),
  /** Trials sharing one GPU at once (`--trials-per-gpu`). */
  ABLATE_TRIALS_PER_GPU: count('ABLATE_TRIALS_PER_GPU (--trials-per-gpu)', 1, 64).default(1),
  /** Trials on CPU cores at once (`--cpu-slots`); default one per core on a node without GPUs, none beside GPUs. */
  ABLATE_CPU_SLOTS: count('ABLATE_CPU_SLOTS (--cpu-slots)', 0, 1024),
  /** A trial's process that sends nothing for this long is killed and fails as `hung` (0: never). */
  ABLATE_TRIAL_HANG_TIMEOUT_MS: count('ABLATE_TRIAL_HANG_TIMEOUT_MS', 0).default(30 * 60_000),
  /** Bytes of reports one trial's on-disk outbox holds while the scheduler is away (default 4 MiB). */
  ABLATE_OUTBOX_MAX_BYTES: count('ABLATE_OUTBOX_MAX_BYTES', 4096),
  /** How long a stopped trial's process has after SIGTERM to checkpoint and exit before SIGKILL. */
  ABLATE_TRIAL_KILL_GRACE_MS: count('ABLATE_TRIAL_KILL_GRACE_MS', 0).default(10_000),
  /** Command trials this node runs: `false` (default: none), `true` (any program) or programs separated by "," (docs/command-trials.md). */
  ABLATE_ALLOW_COMMANDS: z.string().optional(),
  /** Folders a command trial's `cwd` may lie in, separated by ":" (default: the data roots). */
  ABLATE_COMMAND_ROOTS: z.string().optional(),
  /** Least seconds between two checkpoint uploads of a trial (0: every checkpoint); the last one always goes. */
  ABLATE_CHECKPOINT_MIN_PERIOD_S: count('ABLATE_CHECKPOINT_MIN_PERIOD_S', 0, 86_400).default(0),
  /** Most gigabytes each cache kind (models, decoded images, features) may hold; checked here so a bad value stops the worker at start, not a trial at its first cache write. */
  ABLATE_CACHE_MAX_GB: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        cacheMaxBytes({ ABLATE_CACHE_MAX_GB: value });
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      }
    }),
});

export interface WorkerConfig {
  apiUrl: string;
  token: string;
  artifactsDir: string;
  pollIntervalMs: number;
  /** Host name reported to the scheduler. */
  host: string;
  /** GPUs to use: indices (`0,1`), `all` (default) or `none`. Naming one the node lacks stops the agent. */
  gpus?: string | undefined;
  /** Trials sharing one GPU (default 1). */
  trialsPerGpu?: number | undefined;
  /** Trials on CPU cores (default: one per core without GPUs, 0 with GPUs). */
  cpuSlots?: number | undefined;
  /** Nothing from a trial's process for this long: killed, failed as `hung` (default 30 min; 0: never). */
  hangTimeoutMs?: number | undefined;
  /** SIGTERM → SIGKILL grace of a trial's process (default 10 s). */
  killGraceMs?: number | undefined;
  /** Folders a spec's dataset and model paths must lie in; default `ABLATE_DATA_ROOTS`, else the dataset cache and `<cwd>/datasets`. */
  dataRoots?: string[];
  /** Retry delays while the scheduler is unreachable (default 0.5 s doubling to 10 s). */
  backoff?: BackoffOptions;
  /** How long a stopping worker keeps trying to hand its trials back (default 5 s); then the leases run out instead. */
  stopGraceMs?: number;
  /** Connect to `/workers` for pushed stop decisions (default true; tests turn it off to exercise the fallbacks). */
  push?: boolean;
  /** Environment of the node (default `process.env`): `CUDA_VISIBLE_DEVICES`, and what trials' processes start from. */
  env?: NodeJS.ProcessEnv;
  /** GPU probe (default `nvidia-smi` on PATH). */
  gpuProbe?: GpuProbe;
  /** Launchers by template (default: a template child for built-in templates); `command` is K2's command runner. */
  launchers?: Partial<Record<string, TrialLauncher>>;
  /** What command trials may run here (default: from ABLATE_ALLOW_COMMANDS and ABLATE_COMMAND_ROOTS in `env`: none). */
  commandPolicy?: CommandPolicy;
  /** The TF.js backend to register (default: probed in a child once at start). */
  backend?: string;
  /** fetch for scheduler calls (default the global one; specs script a scheduler with it). */
  fetch?: typeof fetch;
  /** Folder of the report outbox (default `<artifactsDir>/outbox`): reports wait there, fsync'd, until the scheduler takes them. */
  outboxDir?: string;
  /** Bytes one trial's outbox may hold (default 4 MiB); beyond it the trial stops with that error. */
  outboxMaxBytes?: number | undefined;
  /** Least time between two checkpoint uploads of a trial (0: each one); the last one always goes. */
  checkpointMinPeriodMs?: number | undefined;
  /** Where checkpoints are kept between attempts (default the scheduler; ABLATE_ARTIFACT_STORE, ABLATE_ARTIFACTS_S3_*, ABLATE_ARTIFACTS_SHARED_DIR). */
  artifactStore?: ArtifactStoreSpec;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      return i.message.startsWith(name) ? `  ${i.message}` : `  ${name}: ${i.message}`;
    });
    throw new Error(`Invalid worker configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    apiUrl: e.ABLATE_API_URL,
    token: e.ABLATE_WORKER_TOKEN,
    artifactsDir: e.ABLATE_ARTIFACTS_DIR,
    pollIntervalMs: e.ABLATE_POLL_INTERVAL_MS,
    host: os.hostname(),
    gpus: e.ABLATE_GPUS,
    trialsPerGpu: e.ABLATE_TRIALS_PER_GPU,
    cpuSlots: e.ABLATE_CPU_SLOTS,
    hangTimeoutMs: e.ABLATE_TRIAL_HANG_TIMEOUT_MS,
    killGraceMs: e.ABLATE_TRIAL_KILL_GRACE_MS,
    artifactStore: artifactStoreFromEnv(env),
    outboxMaxBytes: e.ABLATE_OUTBOX_MAX_BYTES,
    checkpointMinPeriodMs: (e.ABLATE_CHECKPOINT_MIN_PERIOD_S ?? 0) * 1000,
    env,
  };
}
