import type { Command } from 'commander';
import { workerEnv, type WorkerFlags } from '../lib/worker-options.js';

/**
 * `ablate worker`: the agent of one node, against a scheduler elsewhere. The same code as
 * `ablate up`'s local workers and `node apps/worker/dist/main.js` (`runWorker(loadWorkerConfig())`);
 * the flags only set the environment variables those read.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      "Run this node's worker agent: it fills every GPU slot and CPU slot with leased trials, each in a process of its own, until Ctrl-C (which hands running trials back).",
    )
    .option('--api <url>', 'scheduler URL (env ABLATE_API_URL)')
    .option('--token <token>', "the scheduler's worker token (env ABLATE_WORKER_TOKEN)")
    .option('--gpus <list>', 'GPUs to use: indices such as 0,1, all (default) or none (env ABLATE_GPUS)')
    .option('--trials-per-gpu <k>', 'trials sharing one GPU at once (default 1; env ABLATE_TRIALS_PER_GPU)')
    .option(
      '--cpu-slots <n>',
      'trials on CPU cores at once (default: one per core without GPUs, none beside them; env ABLATE_CPU_SLOTS)',
    )
    .option(
      '--artifacts <dir>',
      'local checkpoint folder (default ~/.ablate/artifacts; env ABLATE_ARTIFACTS_DIR)',
    )
    .action(async (flags: WorkerFlags) => {
      try {
        const env = workerEnv(flags);
        // Loaded on use: the worker pulls in TF.js and the models, which the other commands do not need.
        const { loadWorkerConfig, runWorker } = await import('@ablate/worker');
        await runWorker(loadWorkerConfig(env));
      } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        process.exit(1);
      }
    });
}
