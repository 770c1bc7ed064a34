import { ApiClient } from '@ablate/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { startScheduler } from '../bootstrap.js';
import type { Clock } from '../common/clock.js';
import type { SchedulerConfig } from '../config/scheduler.config.js';
import { createTestDatabase } from './test-database.js';

export const TEST_WORKER_TOKEN = 'test-worker-token-0123456789';

export interface TestScheduler {
  app: INestApplication;
  url: string;
  config: SchedulerConfig;
  /** Client with the worker token. */
  worker: ApiClient;
  /** Client without credentials, as a dashboard user. */
  user: ApiClient;
  close(): Promise<void>;
}

/** Boots the real app module on a random port against a fresh clone of the test database. */
export async function startTestScheduler(
  adminUrl: string,
  options: { clock?: Clock; leaseTtlMs?: number; config?: Partial<SchedulerConfig> } = {},
): Promise<TestScheduler> {
  const config: SchedulerConfig = {
    databaseUrl: await createTestDatabase(adminUrl),
    port: 0,
    host: '127.0.0.1',
    workerToken: TEST_WORKER_TOKEN,
    leaseTtlMs: options.leaseTtlMs ?? 60_000,
    corsOrigins: ['http://localhost:3000'],
    migrate: false,
    artifactsDir: await mkdtemp(path.join(os.tmpdir(), 'ablate-test-artifacts-')),
    ...options.config,
  };
  const { app, url } = await startScheduler({ config, clock: options.clock }, ['error']);
  return {
    app,
    url,
    config,
    worker: new ApiClient({ baseUrl: url, token: TEST_WORKER_TOKEN }),
    user: new ApiClient({ baseUrl: url }),
    close: async () => {
      await app.close();
      await rm(config.artifactsDir!, { recursive: true, force: true });
    },
  };
}
