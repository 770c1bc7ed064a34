import type { SweepSpecInput } from '@ablate/contracts';
import type { Command } from 'commander';
import { apiOption, client, guarded, type ApiOptions } from '../lib/cli-context.js';
import { formatTable } from '../lib/leaderboard-table.js';
import { readSpecFile } from '../lib/spec-file.js';
import { followSweep } from '../lib/sweep-follow.js';
import { registerArchiveCommands } from './sweep-archive.command.js';
import { registerSteeringCommands } from './sweep-steering.command.js';

/** Trials the table after `launch` shows; `sweep show` prints them all. */
const LAUNCH_TABLE_TOP = 20;

export function registerSweepCommands(program: Command): void {
  const sweep = program.command('sweep').description('Launch, inspect, steer, export and import sweeps.');

  sweep
    .command('launch <spec-file>')
    .description(
      'Launch the sweep of a spec file (YAML, or JSON for .json), then follow it live until it ends.',
    )
    .option(...apiOption())
    .option('--no-follow', 'return once the sweep is created')
    .action(
      guarded(async (file: string, opts: ApiOptions & { follow: boolean }) => {
        const spec = (await readSpecFile(file)) as SweepSpecInput;
        const created = await client(opts).createSweep(spec);
        console.log(`Sweep ${created.id} created with ${created.total} trials.`);
        if (!opts.follow) return;
        const final = await followSweep(opts.api, created.id);
        if (final.reason && final.status !== 'completed')
          console.log(`Sweep ${final.status}: ${final.reason}`);
        const top = await client(opts).getSweep(created.id, { top: LAUNCH_TABLE_TOP });
        console.log(formatTable(top.trials, top.sweep.metric.name));
        if (top.sweep.total > top.trials.length)
          console.log(
            `(top ${top.trials.length} of ${top.sweep.total}; \`ablate sweep show ${created.id}\` lists every trial)`,
          );
      }),
    );

  sweep
    .command('list')
    .description('List sweeps, newest first, one page at a time.')
    .option('--project <slug>', "only this project's sweeps")
    .option('--limit <n>', 'sweeps per page, 1 to 200', Number, 50)
    .option('--offset <n>', 'sweeps to skip (the next page: the last offset + limit)', Number, 0)
    .option(...apiOption())
    .action(
      guarded(async (opts: ApiOptions & { project?: string; limit: number; offset: number }) => {
        const page = await client(opts).listSweeps({ offset: opts.offset, limit: opts.limit, project: opts.project });
        for (const s of page.sweeps) {
          console.log(
            `${s.id}  ${s.status.padEnd(9)}  ${String(s.counts.completed).padStart(4)}/${s.total}  ${s.project}/${s.name}`,
          );
        }
        const shown = opts.offset + page.sweeps.length;
        if (page.total !== undefined && page.total > shown)
          console.log(
            `(${opts.offset + 1}-${shown} of ${page.total}; \`ablate sweep list --offset ${shown}${opts.project ? ` --project ${opts.project}` : ''}\` for the next page)`,
          );
      }),
    );

  sweep
    .command('show <id>')
    .description("Print a sweep's leaderboard.")
    .option(...apiOption())
    .action(
      guarded(async (id: string, opts: ApiOptions) => {
        const d = await client(opts).getSweep(id);
        const reason = d.sweep.reason ? `: ${d.sweep.reason}` : '';
        console.log(
          `${d.sweep.name} (${d.sweep.status}${reason}), ranked by ${d.sweep.metric.name} (${d.sweep.metric.goal})`,
        );
        console.log(formatTable(d.trials, d.sweep.metric.name));
      }),
    );

  registerSteeringCommands(program, sweep);
  registerArchiveCommands(sweep);
}
