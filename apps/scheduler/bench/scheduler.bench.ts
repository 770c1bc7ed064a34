/**
 * `npm run bench:scheduler [-- --quick] [-- --figures 1,3] [-- --profile <dir>] [-- --pg-statements]`:
 * issue 8's five figures in one run, against the built scheduler in its own process and an
 * embedded PostgreSQL, with simulated workers that register, listen on /workers, lease, report and
 * heartbeat over real HTTP as the agent does: bookkeeping overhead, zero-work trials per second,
 * report → push delay, leases and reports at 10,000 vs 100 trials, and TPE vs random search.
 * Prints one table with the machine; asserts nothing (docs/scheduler-benchmarks.md reads it).
 */
import { ApiClient } from '@ablate/contracts';
import { parseArgs } from 'node:util';
import type { BenchContext, Figure } from './scheduler/figure.js';
import { printFigures } from './scheduler/figure-table.js';
import { describeMachine } from './scheduler/machine.js';
import { overheadFigure } from './scheduler/overhead.figure.js';
import { resetStatementStats, topStatements } from './scheduler/pg-statements.js';
import { pushLatencyFigure } from './scheduler/push-latency.figure.js';
import { scalingFigure } from './scheduler/scaling.figure.js';
import { startSchedulerProcess } from './scheduler/scheduler-process.js';
import { searchFigure } from './scheduler/search.figure.js';
import { throughputFigure } from './scheduler/throughput.figure.js';

const { values: flags } = parseArgs({
  options: {
    /** Smaller runs of every figure (about a minute in all); the figures are then rougher. */
    quick: { type: 'boolean', default: false },
    /** Which figures to run, e.g. `1,3`. */
    figures: { type: 'string', default: '1,2,3,4,5' },
    /** Epochs each trial of figure 1 reports within its 0.5 s. */
    epochs: { type: 'string', default: '5' },
    /** Spread of each simulated epoch's length in figures 1 and 3 (± this fraction), so that identical timers do not keep the fleet in lock-step. */
    jitter: { type: 'string', default: '0.05' },
    /** Folder for a CPU profile of the scheduler over the whole run (open the .cpuprofile in Chrome DevTools). */
    profile: { type: 'string' },
    /** After each figure, PostgreSQL's statements by time spent (pg_stat_statements: planning, execution, lock waits). */
    'pg-statements': { type: 'boolean', default: false },
    /** Another build's main.js instead of dist/main.js, to compare two builds back to back on a noisy machine. */
    scheduler: { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const wanted = new Set(flags.figures.split(',').map((f) => Number(f.trim())));
const pgStatements = flags['pg-statements'] ?? false;
const command = `bench:scheduler${quick ? ' --quick' : ''}`;

const machine = describeMachine();
const scheduler = await startSchedulerProcess({
  profileDir: flags.profile,
  pgStatements,
  main: flags.scheduler,
});
try {
  const ctx: BenchContext = { scheduler, user: new ApiClient({ baseUrl: scheduler.url }) };
  console.log(`${command}: the scheduler is up (${scheduler.url}); warming up`);
  // Not reported: the first seconds of a fresh process run unoptimized code.
  await throughputFigure(ctx, { trials: quick ? 200 : 600, workers: 16 });
  const figures: [number, Figure][] = [];
  const run = async (n: number, figure: () => Promise<Figure>) => {
    if (!wanted.has(n)) return;
    if (pgStatements) await resetStatementStats(scheduler.adminUrl);
    const f = await figure();
    console.log(`figure ${n}: ${f.measured}`);
    if (pgStatements)
      console.log(
        `  PostgreSQL's statements by time:\n  ${(await topStatements(scheduler.adminUrl)).join('\n  ')}`,
      );
    figures.push([n, f]);
  };
  await run(1, () =>
    overheadFigure(ctx, {
      trials: quick ? 400 : 2000,
      slots: 16,
      workMs: 500,
      epochs: Number(flags.epochs),
      jitter: Number(flags.jitter),
    }),
  );
  await run(2, () => throughputFigure(ctx, { trials: quick ? 1000 : 4000, workers: 16 }));
  await run(3, () =>
    pushLatencyFigure(ctx, {
      workers: 20,
      rate: 10,
      epochs: 20,
      seconds: quick ? 10 : 30,
      jitter: Number(flags.jitter),
    }),
  );
  await run(4, () => scalingFigure(ctx, { rounds: quick ? 3 : 9, perRound: 100, workers: 8, large: 10_000 }));
  await run(5, () => searchFigure(ctx, { seeds: quick ? 4 : 10, trials: 50, workers: 8 }));
  printFigures(machine, figures, command);
  const errors = scheduler.log.filter((l) => /\bERROR\b/.test(l));
  if (errors.length > 0)
    console.log(
      `\nThe scheduler logged ${errors.length} error line(s), e.g.:\n${errors.slice(0, 5).join('\n')}`,
    );
} finally {
  await scheduler.stop();
}
