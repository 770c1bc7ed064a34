import { Injectable } from '@nestjs/common';
import { ApiError, ErrorCode, WORKER_IDENTITY_HEADER } from '@ablate/contracts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../common/zod-body.pipe.js';
import { WorkersRepository } from './workers.repository.js';

/** Verified secret hashes kept in memory; enough for every worker of a large pool, small enough not to matter. */
const CACHE_LIMIT = 10_000;

const REGISTER_AGAIN = 'register again with POST /api/workers and send the workerSecret it returns';

/**
 * Per-registration secrets. Registration hands out 32 random bytes; only their SHA-256 is stored.
 * Every later worker call proves its id with `X-Ablate-Worker: <workerId>:<workerSecret>`, so a
 * holder of the shared pool token cannot act as another worker. Verified hashes are cached (a
 * worker's id and secret never change), so a report costs no extra database round trip.
 */
@Injectable()
export class WorkerCredentials {
  private readonly verified = new Map<string, Buffer>();

  constructor(private readonly workers: WorkersRepository) {}

  /** A new secret and the hash to store. */
  issue(): { secret: string; hash: Buffer } {
    const secret = randomBytes(32).toString('base64url');
    return { secret, hash: sha256(secret) };
  }

  /** The worker id the header proves, or an error: 401 (missing, malformed or wrong) or 404 (no such worker). */
  async authenticate(header: string | string[] | undefined): Promise<string> {
    const value = typeof header === 'string' ? header : '';
    const colon = value.indexOf(':');
    const workerId = value.slice(0, colon);
    const secret = value.slice(colon + 1);
    if (colon < 0 || !isUuid(workerId) || secret.length === 0 || secret.length > 256) {
      throw new ApiError(
        ErrorCode.Unauthorized,
        `Worker calls need the header "${WORKER_IDENTITY_HEADER}: <workerId>:<workerSecret>"; ${REGISTER_AGAIN}.`,
      );
    }
    const given = sha256(secret);
    const cached = this.verified.get(workerId);
    if (cached) {
      if (!timingSafeEqual(cached, given)) throw this.wrongSecret(workerId);
      this.verified.delete(workerId); // refresh its place: the least recently seen worker is evicted first
      this.verified.set(workerId, cached);
      return workerId;
    }
    const stored = await this.workers.findSecretHash(workerId);
    if (stored === undefined) {
      throw new ApiError(
        ErrorCode.WorkerNotFound,
        `No worker with id ${workerId} (it may have been removed after going silent); ${REGISTER_AGAIN}.`,
      );
    }
    if (stored === null || stored.length !== given.length || !timingSafeEqual(stored, given))
      throw this.wrongSecret(workerId);
    this.verified.set(workerId, stored);
    if (this.verified.size > CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    return workerId;
  }

  /** Drops removed workers from the cache, so their next call is answered 404. */
  forget(workerIds: string[]): void {
    for (const id of workerIds) this.verified.delete(id);
  }

  private wrongSecret(workerId: string): ApiError {
    return new ApiError(
      ErrorCode.Unauthorized,
      `The secret in "${WORKER_IDENTITY_HEADER}" does not match worker ${workerId}; ${REGISTER_AGAIN}.`,
    );
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
