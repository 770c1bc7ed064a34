#!/usr/bin/env node
import { runWorker } from './run-worker.js';
import { loadWorkerConfig } from './worker.config.js';

/** `node apps/worker/dist/main.js`: one agent against ABLATE_API_URL (`ablate worker` runs the same code). */
try {
  await runWorker(loadWorkerConfig());
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
