/** The backends Ablate can run a trial on, fastest first. `tensorflow` is native libtensorflow (GPU or CPU build). */
export const BACKEND_CHOICES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Env var an operator sets to force one backend on a worker, whatever the trial asks for. */
export const BACKEND_ENV_VAR = 'ABLATE_TF_BACKEND';

/** Thrown when a forced backend cannot be loaded; the message says what to install or unset. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

export interface BackendRequest {
  choice: BackendChoice | 'auto';
  /** Where the choice came from, for error messages (`ABLATE_TF_BACKEND=wasm`, `preferred backend 'cpu'`). */
  source: string;
}

/**
 * The backend asked for: the env var wins (an operator's override), then the caller's preference, then `auto`.
 * An unknown value is an error rather than a silent fallback, so a typo never makes a GPU worker train on wasm.
 */
export function requestedBackend(preferred: string | undefined, env: NodeJS.ProcessEnv): BackendRequest {
  const forced = env[BACKEND_ENV_VAR]?.trim();
  const value = forced || preferred?.trim() || 'auto';
  const source = forced ? `${BACKEND_ENV_VAR}=${forced}` : `preferred backend '${value}'`;
  if (value === 'auto' || isBackendChoice(value)) return { choice: value, source };
  throw new BackendUnavailableError(
    `Unknown ${source}: use one of ${BACKEND_CHOICES.join(', ')} (or leave it unset to pick the fastest available).`,
  );
}
