import { ApiError, ErrorCode, WORKERS_NAMESPACE, WorkerSocketAuth } from '@ablate/contracts';
import { timingSafeEqual } from 'node:crypto';
import type { WorkerCredentials } from '../workers/worker-credentials.service.js';

/** What a `/workers` handshake carries that decides whether it may connect. */
export interface WorkerHandshake {
  /** The `Origin` header: browsers send one, workers (Node) never do. */
  origin: string | string[] | undefined;
  /** socket.io's `auth` payload, untrusted. */
  auth: unknown;
}

/**
 * Checks a worker's socket handshake with the same credentials as its REST calls: the pool token
 * and its registration's id and secret (verified by `WorkerCredentials`, cached like REST calls).
 * Any `Origin` is refused, even the dashboard's: no browser page has a reason to listen to worker
 * orders, and refusing them keeps the pool token out of pages altogether.
 * Resolves to the worker id, or rejects with the `ApiError` the client sees in `connect_error`.
 */
export async function authenticateWorkerSocket(
  handshake: WorkerHandshake,
  poolToken: Buffer,
  credentials: WorkerCredentials,
): Promise<string> {
  if (handshake.origin !== undefined) {
    throw new ApiError(
      ErrorCode.OriginNotAllowed,
      `${WORKERS_NAMESPACE} is for workers only; browsers subscribe on /live.`,
    );
  }
  const auth = WorkerSocketAuth.safeParse(handshake.auth);
  if (!auth.success) {
    throw new ApiError(
      ErrorCode.Unauthorized,
      `Connecting to ${WORKERS_NAMESPACE} needs auth { token: <ABLATE_WORKER_TOKEN>, worker: "<workerId>:<workerSecret>" } in the socket.io handshake.`,
    );
  }
  const given = Buffer.from(auth.data.token);
  if (given.length !== poolToken.length || !timingSafeEqual(given, poolToken)) {
    throw new ApiError(
      ErrorCode.Unauthorized,
      `The worker token in the ${WORKERS_NAMESPACE} handshake is wrong: send the scheduler's ABLATE_WORKER_TOKEN.`,
    );
  }
  return credentials.authenticate(auth.data.worker);
}
