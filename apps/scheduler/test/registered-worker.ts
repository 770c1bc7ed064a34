import { ApiClient, type RegisterWorkerResponse } from '@ablate/contracts';
import { inject } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';

/** A registered worker and a client that sends its identity (pool token + `X-Ablate-Worker`) on every call. */
export interface RegisteredWorker extends RegisterWorkerResponse {
  api: ApiClient;
}

export async function registerWorker(s: TestScheduler, host = 'test-worker'): Promise<RegisteredWorker> {
  const reg = await s.worker.registerWorker({ host, slots: 1, backends: ['cpu'] });
  return { ...reg, api: new ApiClient({ baseUrl: s.url, token: s.config.workerToken, worker: reg }) };
}

/** A scheduler on the suite's PostgreSQL with one registered worker: `beforeAll(async () => ({ s, w } = await startWithWorker()))`. */
export async function startWithWorker(): Promise<{ s: TestScheduler; w: RegisteredWorker }> {
  const s = await startTestScheduler(inject('pgAdminUrl'));
  return { s, w: await registerWorker(s) };
}
