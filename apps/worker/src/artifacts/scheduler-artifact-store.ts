import { ApiClient, isTransientError } from '@ablate/contracts';
import type { SchedulerConnection } from '../scheduler-connection.js';
import type { ArtifactStore } from './artifact-store.js';
import { packCheckpointForFetch, unpackCheckpoint } from './checkpoint-archive.js';

export interface SchedulerArtifactStoreOptions {
  apiUrl: string;
  token: string;
  /** The agent's registration: only the worker holding a trial's lease may read or write its checkpoint. */
  connection: SchedulerConnection;
  /** A transfer that has not finished in this many ms is abandoned (and retried later); default 15 min. */
  transferTimeoutMs?: number;
  /** fetch implementation (default the global one). */
  fetch?: typeof fetch;
}

/**
 * The default store: checkpoints go to the scheduler (`PUT/GET /api/trials/:id/checkpoint`), which
 * keeps them under its ABLATE_ARTIFACTS_DIR, so no folder need be shared between nodes. Streamed
 * both ways: a checkpoint is never held in memory whole.
 */
export class SchedulerArtifactStore implements ArtifactStore {
  readonly name = 'the scheduler';

  constructor(private readonly o: SchedulerArtifactStoreOptions) {}

  async put(trialId: string, localDir: string, step: number): Promise<void> {
    await this.client().putCheckpoint(trialId, step, packCheckpointForFetch(localDir));
  }

  async get(trialId: string, localDir: string, newerThan: number | null): Promise<number | null> {
    const found = await this.client().getCheckpoint(trialId);
    if (!found) return null;
    if (newerThan !== null && found.step <= newerThan) {
      await found.archive.cancel(); // the step came in a header: the archive need not be downloaded
      return null;
    }
    await unpackCheckpoint(found.archive, localDir);
    return found.step;
  }

  async delete(trialId: string): Promise<void> {
    await this.client().deleteCheckpoint(trialId);
  }

  isTransient(err: unknown): boolean {
    // fetch wraps a failure to read the local folder as it wraps a dropped connection; only the latter may pass.
    const cause = (err as { cause?: { path?: unknown } } | null)?.cause;
    return isTransientError(err) && typeof cause?.path !== 'string';
  }

  /** A client with the current registration (it changes when the agent registers again). */
  private client(): ApiClient {
    const { workerId, workerSecret } = this.o.connection.registration;
    const base = this.o.fetch ?? fetch;
    const timeoutMs = this.o.transferTimeoutMs ?? 15 * 60_000;
    return new ApiClient({
      baseUrl: this.o.apiUrl,
      token: this.o.token,
      worker: { workerId, workerSecret },
      fetch: (input, init) => base(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    });
  }
}
