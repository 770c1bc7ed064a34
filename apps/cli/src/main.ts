#!/usr/bin/env node
import { packageVersion } from '@ablate/contracts/node';
import { Command } from 'commander';
import { registerCacheCommands } from './commands/cache.command.js';
import { registerSweepCommands } from './commands/sweep.command.js';
import { registerTrialCommands } from './commands/trial.command.js';
import { registerWorkerCommand } from './commands/worker.command.js';

const version = packageVersion(import.meta.url, '@ablate/cli');

const program = new Command('ablate')
  .description('Ablate: sweeps of deep-learning ablations, sharded over workers and ranked live.')
  // What a bug report should name; the scheduler and workers of one checkout share it.
  .version(version, '-V, --version', 'print the version of this CLI');

program
  .command('up')
  .description('Run everything locally: embedded PostgreSQL, scheduler, dashboard and one worker (what `npm start` does).')
  // Loaded on use: the scheduler (Nest, TypeORM) is most of the CLI's start-up time, and only `up` needs it.
  .action(async () => (await import('./commands/up.command.js')).up());

registerSweepCommands(program);
registerTrialCommands(program);
registerWorkerCommand(program);
registerCacheCommands(program);

await program.parseAsync();
