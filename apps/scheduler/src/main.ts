#!/usr/bin/env node
import { startScheduler } from './bootstrap.js';
import { loadSchedulerConfig } from './config/scheduler.config.js';

/** Runs the scheduler alone against DATABASE_URL (production; `npm start` uses the CLI's `up`). */
try {
  const { app, url } = await startScheduler({ config: loadSchedulerConfig() }, ['log', 'error', 'warn']);
  app.enableShutdownHooks();
  console.log(`Ablate scheduler listening on ${url}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
