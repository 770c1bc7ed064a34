import {
  ApiClient,
  ApiError,
  LIVE_NAMESPACE,
  isBetter,
  rankTrials,
  type ClientToServerEvents,
  type RankedTrial,
  type ServerToClientEvents,
  type SweepDetail,
} from '@ablate/contracts';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { io, type Socket } from 'socket.io-client';
import { registerArchiveCommands } from './sweep-archive.command.js';

function client(opts: { api: string }): ApiClient {
  return new ApiClient({ baseUrl: opts.api });
}

/** Prints an API error with its field issues, then exits 1. */
function fail(err: unknown): never {
  if (err instanceof ApiError) {
    console.error(`Error (${err.code}): ${err.message}`);
    for (const issue of err.issues ?? []) console.error(`  ${issue.path}: ${issue.message}`);
  } else if (err instanceof TypeError && err.message === 'fetch failed') {
    console.error('Error: could not reach the scheduler. Is Ablate running (npm start)? Pass --api <url> or set ABLATE_API_URL.');
  } else {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
}

function formatTable(trials: RankedTrial[], metric: string): string {
  const varying = Object.keys(trials[0]?.params ?? {}).filter(
    (k) => new Set(trials.map((t) => JSON.stringify(t.params[k]))).size > 1,
  );
  const header = ['rank', ...varying, 'status', 'epoch', metric];
  const rows = trials.map((t) => [
    t.rank === null ? '-' : String(t.rank),
    ...varying.map((k) => JSON.stringify(t.params[k])),
    t.status,
    t.step === null ? '-' : String(t.step),
    t.score === null ? '-' : t.score.toFixed(4),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** Follows a sweep over socket.io (pushed, not polled) with a progress bar until it finishes. */
async function follow(api: string, detail: SweepDetail): Promise<void> {
  const { goal, name: metric } = detail.sweep.metric;
  let counts = detail.sweep.counts;
  let best: number | null = rankTrials(detail.trials, goal)[0]?.score ?? null;
  const finished = () => counts.completed + counts.failed + counts.pruned + counts.cancelled;
  const payload = () => ({ running: counts.leased + counts.running, metric, best: best?.toFixed(4) ?? '-' });
  const bar = new SingleBar(
    { format: 'trials {bar} {value}/{total} | running {running} | best {metric} {best}', hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(detail.sweep.total, finished(), payload());
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
    new URL(LIVE_NAMESPACE, api).toString(),
    { transports: ['websocket'] },
  );
  const isDone = (status: string) => status === 'completed' || status === 'cancelled';
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => {
      socket.emit('sweep:subscribe', detail.sweep.id, (res) => {
        if (!res.ok) return reject(new ApiError(res.error.code, res.error.message));
        counts = res.data.sweep.counts;
        best = rankTrials(res.data.trials, goal)[0]?.score ?? null;
        bar.update(finished(), payload());
        if (isDone(res.data.sweep.status)) resolve();
      });
    });
    // Counts come with each sweep:updated; trial events only move the best score.
    socket.on('trial:updated', (t) => {
      if (t.score !== null && isBetter(t.score, best, goal)) best = t.score;
      bar.update(finished(), payload());
    });
    socket.on('sweep:updated', (s) => {
      if (s.id !== detail.sweep.id) return;
      counts = s.counts;
      bar.update(finished(), payload());
      if (isDone(s.status)) resolve();
    });
  }).finally(() => {
    bar.stop();
    socket.close();
  });
}

/** Runs a command action; an error is printed (with its field issues) and exits 1. */
function guarded<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return (...args) => action(...args).catch(fail);
}

export function registerSweepCommands(program: Command): void {
  const sweep = program.command('sweep').description('Launch and inspect sweeps.');
  const apiOption = [
    '--api <url>',
    'scheduler URL',
    process.env.ABLATE_API_URL ?? 'http://localhost:4000',
  ] as const;

  sweep
    .command('launch <spec-file>')
    .description('Launch the sweep of a JSON spec file, then follow it live until it finishes.')
    .option(...apiOption)
    .option('--no-follow', 'return once the sweep is created')
    .action(
      guarded(async (file: string, opts: { api: string; follow: boolean }) => {
        const spec: unknown = JSON.parse(await readFile(file, 'utf8'));
        const created = await client(opts).createSweep(spec as never);
        console.log(`Sweep ${created.id} created with ${created.total} trials.`);
        if (!opts.follow) return;
        await follow(opts.api, await client(opts).getSweep(created.id));
        const final = await client(opts).getSweep(created.id);
        console.log(formatTable(final.trials, final.sweep.metric.name));
      }),
    );

  sweep
    .command('list')
    .description('List recent sweeps.')
    .option(...apiOption)
    .action(
      guarded(async (opts: { api: string }) => {
        for (const s of (await client(opts).listSweeps()).sweeps) {
          console.log(
            `${s.id}  ${s.status.padEnd(9)}  ${String(s.counts.completed).padStart(4)}/${s.total}  ${s.project}/${s.name}`,
          );
        }
      }),
    );

  sweep
    .command('show <id>')
    .description("Print a sweep's leaderboard.")
    .option(...apiOption)
    .action(
      guarded(async (id: string, opts: { api: string }) => {
        const d = await client(opts).getSweep(id);
        console.log(
          `${d.sweep.name} (${d.sweep.status}), ranked by ${d.sweep.metric.name} (${d.sweep.metric.goal})`,
        );
        console.log(formatTable(d.trials, d.sweep.metric.name));
      }),
    );

  sweep
    .command('cancel <id>')
    .description('Cancel a sweep and every trial that has not finished.')
    .option(...apiOption)
    .action(
      guarded(async (id: string, opts: { api: string }) => {
        const s = await client(opts).cancelSweep(id);
        console.log(`Sweep ${s.id} is ${s.status}.`);
      }),
    );

  registerArchiveCommands(sweep, apiOption, client, guarded);
}
