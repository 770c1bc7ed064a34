import { afterAll, beforeAll, vi } from 'vitest';
import { initBackend } from '../backend/index.js';

/**
 * For a spec file that runs templates: trains on wasm (or ABLATE_TF_BACKEND when the run sets it), the backend
 * `runTrial` picks from the same variable, initialised once before the file's tests.
 */
export function useTestBackend(): void {
  beforeAll(async () => {
    vi.stubEnv('ABLATE_TF_BACKEND', process.env['ABLATE_TF_BACKEND'] ?? 'wasm');
    await initBackend();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
}
