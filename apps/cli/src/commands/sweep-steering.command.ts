import type { SweepSummary } from '@ablate/contracts';
import { InvalidArgumentError, type Command } from 'commander';
import { apiOption, client, guarded, type ApiOptions } from '../lib/cli-context.js';

type Steer = 'pauseSweep' | 'resumeSweep' | 'stopSweep' | 'cancelSweep';

const STEERING: { name: string; call: Steer; description: string }[] = [
  {
    name: 'pause',
    call: 'pauseSweep',
    description: 'Start no new trials until resumed; running trials go on.',
  },
  { name: 'resume', call: 'resumeSweep', description: 'Start trials again after a pause.' },
  {
    name: 'stop',
    call: 'stopSweep',
    description: 'Start no new trials; running ones finish, then the sweep completes.',
  },
  {
    name: 'cancel',
    call: 'cancelSweep',
    description: 'Cancel the sweep and every trial that has not finished, now.',
  },
];

function describe(s: SweepSummary): string {
  return `Sweep ${s.id} is ${s.status}${s.reason ? ` (${s.reason})` : ''}.`;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('give a whole number of trials, at least 1');
  return n;
}

/** `ablate sweep pause|resume|stop|cancel|budget|events` and `ablate trial cancel`. Each call names its actor (the OS user). */
export function registerSteeringCommands(program: Command, sweep: Command): void {
  for (const { name, call, description } of STEERING) {
    sweep
      .command(`${name} <id>`)
      .description(description)
      .option(...apiOption())
      .action(
        guarded(async (id: string, opts: ApiOptions) => console.log(describe(await client(opts)[call](id)))),
      );
  }

  sweep
    .command('budget <id>')
    .description("Raise a running sweep's trial budget (random and TPE propose more; a capped grid goes on).")
    .requiredOption('--max-trials <n>', 'the new total, repeats included (may only grow)', positiveInt)
    .option(...apiOption())
    .action(
      guarded(async (id: string, opts: ApiOptions & { maxTrials: number }) => {
        const s = await client(opts).updateSweep(id, { maxTrials: opts.maxTrials });
        console.log(
          `Sweep ${s.id} may run ${opts.maxTrials} trials (${s.total} created so far); it is ${s.status}.`,
        );
      }),
    );

  sweep
    .command('events <id>')
    .description(
      'What happened to a sweep, and who did it: launch, pause, resume, stop, cancel, budget, the end.',
    )
    .option(...apiOption())
    .action(
      guarded(async (id: string, opts: ApiOptions) => {
        for (const e of (await client(opts).listSweepEvents(id)).events) {
          const trial = e.trialId ? ` trial ${e.trialId}` : '';
          const detail = Object.keys(e.detail).length > 0 ? `  ${JSON.stringify(e.detail)}` : '';
          console.log(`${e.at}  ${e.action.padEnd(17)}${trial}  by ${e.actor}${detail}`);
        }
      }),
    );

  program
    .command('trial')
    .description('Act on one trial.')
    .command('cancel <id>')
    .description('Cancel one trial; the worker running it stops within a second.')
    .option(...apiOption())
    .action(
      guarded(async (id: string, opts: ApiOptions) => {
        const t = await client(opts).cancelTrial(id);
        console.log(
          `Trial ${t.id} (#${t.index} of sweep ${t.sweepId}) is ${t.status}${t.statusReason ? ` (${t.statusReason})` : ''}.`,
        );
      }),
    );
}
