#!/usr/bin/env node
import { Command } from 'commander';
import { registerSweepCommands } from './commands/sweep.command.js';
import { up } from './commands/up.command.js';

const program = new Command('ablate').description('Ablate: sweeps of deep-learning ablations, sharded over workers and ranked live.');

program
  .command('up')
  .description('Run everything locally: embedded PostgreSQL, scheduler, dashboard and one worker (what `npm start` does).')
  .action(up);

registerSweepCommands(program);

await program.parseAsync();
