#!/usr/bin/env node
import { Worker } from './worker.js';
import { loadWorkerConfig } from './worker.config.js';

/** Runs one worker against ABLATE_API_URL until SIGINT/SIGTERM, then hands its trial back. */
try {
  const worker = new Worker(loadWorkerConfig());
  await worker.start();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: stopping the worker`);
      void worker.stop().then(() => process.exit(0));
    });
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
