import { Worker } from './worker.js';
import type { WorkerConfig } from './worker.config.js';

/**
 * Runs one agent until SIGINT/SIGTERM: then it stops leasing, its trials' children checkpoint and
 * exit, the trials are handed back (`released`), and the process exits. A second signal exits at
 * once (the leases then run out instead). Shared by `ablate worker`, `ablate up` and `dist/main.js`.
 */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const worker = new Worker(config);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      console.log(`${signal}: stopping the worker (its trials checkpoint and go back to the queue)`);
      void worker.stop().then(() => process.exit(0));
    });
  }
  await worker.start();
}
