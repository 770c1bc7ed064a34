/** Flags of `ablate worker`, as commander hands them over (each may also come from the environment). */
export interface WorkerFlags {
  /** `--api`: scheduler URL (ABLATE_API_URL). */
  api?: string | undefined;
  /** `--token`: the scheduler's worker token (ABLATE_WORKER_TOKEN). */
  token?: string | undefined;
  /** `--gpus`: GPU indices, `all` or `none` (ABLATE_GPUS). */
  gpus?: string | undefined;
  /** `--trials-per-gpu`: trials sharing one GPU (ABLATE_TRIALS_PER_GPU). */
  trialsPerGpu?: string | undefined;
  /** `--cpu-slots`: trials on CPU cores at once (ABLATE_CPU_SLOTS). */
  cpuSlots?: string | undefined;
  /** `--artifacts`: local checkpoint folder (ABLATE_ARTIFACTS_DIR). */
  artifacts?: string | undefined;
}

/** Each flag and the environment variable it sets; a flag given on the command line wins. */
const FLAG_ENV: ReadonlyArray<[keyof WorkerFlags, string]> = [
  ['api', 'ABLATE_API_URL'],
  ['token', 'ABLATE_WORKER_TOKEN'],
  ['gpus', 'ABLATE_GPUS'],
  ['trialsPerGpu', 'ABLATE_TRIALS_PER_GPU'],
  ['cpuSlots', 'ABLATE_CPU_SLOTS'],
  ['artifacts', 'ABLATE_ARTIFACTS_DIR'],
];

/**
 * The worker's environment for `ablate worker`: the flags written over the environment, so that
 * `loadWorkerConfig` (which `ablate up`'s local workers and `apps/worker/dist/main.js` also use)
 * checks both the same way and its messages name the flag and the variable.
 */
export function workerEnv(flags: WorkerFlags, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [flag, name] of FLAG_ENV) {
    const value = flags[flag];
    if (value !== undefined) out[name] = value;
  }
  // A missing URL or token is the usual first mistake: say what to pass, not a schema path.
  const missing = [
    out['ABLATE_API_URL'] ? null : '--api URL (or ABLATE_API_URL)',
    out['ABLATE_WORKER_TOKEN']
      ? null
      : '--token T (or ABLATE_WORKER_TOKEN; `ablate up` keeps it in ABLATE_HOME/worker-token)',
  ].filter((m) => m !== null);
  if (missing.length > 0) throw new Error(`ablate worker needs ${missing.join(' and ')}.`);
  return out;
}
