import { ApiClient, type RegisterWorkerResponse } from '@ablate/contracts';
import type { TestScheduler } from '../src/testing/index.js';

/** A registered worker and a client that sends its identity (pool token + `X-Ablate-Worker`) on every call. */
export interface RegisteredWorker extends RegisterWorkerResponse {
  api: ApiClient;
}

export async function registerWorker(s: TestScheduler, host = 'test-worker'): Promise<RegisteredWorker> {
  const reg = await s.worker.registerWorker({ host, slots: 1, backends: ['cpu'] });
  return { ...reg, api: new ApiClient({ baseUrl: s.url, token: s.config.workerToken, worker: reg }) };
}
