import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, requestedBackend, type BackendRequest } from './backend-choice.js';
import { loadNativeBackend } from './native-backend.js';
import { configureWasmBackend, trySetWasm } from './wasm-backend.js';
import { registerAblateKernels } from '../kernels/register-kernels.js';

let pending: { choice: BackendRequest['choice']; result: Promise<string> } | undefined;

/**
 * Selects the fastest available TF.js backend, registers Ablate's kernels and gradients, and returns the backend
 * name (`tensorflow`, `wasm` or `cpu`) that the trial records.
 *
 * Order: native `@tensorflow/tfjs-node-gpu`, native `@tensorflow/tfjs-node`, `@tensorflow/tfjs-backend-wasm`,
 * plain `cpu`. `ABLATE_TF_BACKEND` (`tensorflow` | `wasm` | `cpu`) forces one and overrides `preferred`;
 * a forced backend that cannot load is a {@link BackendUnavailableError}, never a silent fallback.
 * Idempotent: repeated calls with the same request share one initialisation (and re-activate its backend).
 */
export function initBackend(preferred?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const request = requestedBackend(preferred, env);
  if (pending?.choice === request.choice) {
    // Someone may have called tf.setBackend since: put the chosen backend back rather than report a stale one.
    return pending.result.then(async (name) => {
      if (tf.getBackend() !== name) await tf.setBackend(name);
      return name;
    });
  }
  const result = selectBackend(request).then((name) => {
    registerAblateKernels();
    return name;
  });
  pending = { choice: request.choice, result };
  result.catch(() => {
    if (pending?.result === result) pending = undefined;
  });
  return result;
}

/** The backend TF.js is using now (after {@link initBackend}; TF.js's own default before). */
export function activeBackend(): string {
  return tf.getBackend();
}

async function selectBackend({ choice, source }: BackendRequest): Promise<string> {
  switch (choice) {
    case 'tensorflow':
      return useNative(source);
    case 'wasm':
      return useWasm(source);
    case 'cpu':
      return useCpu();
    case 'auto':
      return (await useNative()) || (await useWasm()) || useCpu();
  }
}

/** Returns '' when the backend is unavailable and nothing forced it; `forcedBy` turns that into an error. */
async function useNative(forcedBy?: string): Promise<string> {
  const { loadedFrom, failures } = await loadNativeBackend();
  if (loadedFrom && (await tf.setBackend('tensorflow'))) return 'tensorflow';
  if (!forcedBy) return '';
  throw new BackendUnavailableError(
    `${forcedBy}, but no native TensorFlow binding could be used (${failures.join('; ')}). ` +
      'Install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu next to @ablate/models, or pick another backend.',
  );
}

async function useWasm(forcedBy?: string): Promise<string> {
  configureWasmBackend();
  const failure = await trySetWasm();
  if (!failure) return 'wasm';
  if (!forcedBy) return '';
  throw new BackendUnavailableError(
    `${forcedBy}, but the wasm backend failed to start (${failure}): check that @tensorflow/tfjs-backend-wasm is ` +
      'installed with its dist/*.wasm files, or pick another backend.',
  );
}

async function useCpu(): Promise<string> {
  await tf.setBackend('cpu');
  return 'cpu';
}
