import type { LeasedTrial } from '@ablate/contracts';
import { classificationMetrics, gridSpec, median, type BenchContext, type Figure } from './figure.js';
import { startWorkers, type SimWorker, type TrialPlan } from './sim-worker.js';
import { WorkerTally } from './worker-tally.js';

export interface ScalingOptions {
  /** Rounds per sweep size, alternating, so drift in the machine's load hits both sizes alike. */
  rounds: number;
  /** Trials leased and reported per round (all of the small sweep). */
  perRound: number;
  workers: number;
  /** Trials of the large sweep. */
  large: number;
}

/** One round's rates: `perRound` leases by all workers at once, then 3 reports per leased trial. */
async function round(workers: SimWorker[], perRound: number): Promise<{ leases: number; reports: number }> {
  const tally = new WorkerTally();
  const held: [SimWorker, LeasedTrial][] = [];
  let asked = 0; // leases asked for, so the workers together lease exactly `perRound`
  const t0 = performance.now();
  await Promise.all(
    workers.map(async (w) => {
      while (asked < perRound) {
        asked++;
        const trial = await w.lease(tally);
        if (!trial) return;
        held.push([w, trial]);
      }
    }),
  );
  const t1 = performance.now();
  // Two epochs (the first moves the trial to running) and the completion, each worker its own trials in turn.
  const plan: TrialPlan = {
    epochs: 2,
    epochMs: 0,
    metrics: (t, step) => classificationMetrics(t.params, step),
  };
  await Promise.all(
    workers.map(async (w) => {
      for (const [owner, trial] of held) if (owner === w) await w.run(trial, plan, tally);
    }),
  );
  const t2 = performance.now();
  if (tally.completed !== held.length || held.length !== perRound)
    throw new Error(
      `figure 4: leased ${held.length} of ${perRound}, completed ${tally.completed}; refused: ${tally.describeErrors()}`,
    );
  return { leases: (held.length / (t1 - t0)) * 1000, reports: (tally.reports / (t2 - t1)) * 1000 };
}

/**
 * Figure 4, flat cost per event: leases/s and reports/s on a sweep of `large` trials over the same
 * on a sweep of `perRound` trials. Rounds alternate: a new small sweep each time (all of it leased
 * and completed), then the next `perRound` trials of the large one; the other sweep is paused
 * meanwhile, since leasing takes the oldest sweep first. Medians over the rounds.
 */
export async function scalingFigure(ctx: BenchContext, o: ScalingOptions): Promise<Figure> {
  const { url, token } = ctx.scheduler;
  const t0 = performance.now();
  const large = await ctx.user.createSweep(gridSpec(`bench: ${o.large} trials`, o.large));
  const createLargeMs = performance.now() - t0;
  await ctx.user.pauseSweep(large.id);
  const workers = await startWorkers(url, token, o.workers, 'scaling');
  const small: { leases: number; reports: number }[] = [];
  const big: { leases: number; reports: number }[] = [];
  for (let i = 0; i < o.rounds; i++) {
    await ctx.user.createSweep(gridSpec(`bench: ${o.perRound} trials, round ${i + 1}`, o.perRound));
    small.push(await round(workers, o.perRound)); // every trial completed: the sweep is done
    await ctx.user.resumeSweep(large.id);
    big.push(await round(workers, o.perRound));
    await ctx.user.pauseSweep(large.id);
  }
  for (const w of workers) w.close();
  await ctx.user.cancelSweep(large.id);
  const ratio = (k: 'leases' | 'reports') => median(big.map((r) => r[k])) / median(small.map((r) => r[k]));
  const cell = (k: 'leases' | 'reports') =>
    `${median(big.map((r) => r[k])).toFixed(0)} vs ${median(small.map((r) => r[k])).toFixed(0)}/s`;
  const [leases, reports] = [ratio('leases'), ratio('reports')];
  return {
    name: `leases/s and reports/s, ${o.large.toLocaleString('en')}-trial sweep over ${o.perRound}-trial sweep`,
    measured: `${leases.toFixed(2)} and ${reports.toFixed(2)}`,
    anchor: 'today 0.59 and 0.45',
    goal: '≥ 0.9',
    met: leases >= 0.9 && reports >= 0.9,
    details: [
      `${o.workers} workers; ${o.rounds} rounds per size of ${o.perRound} leases at once, then 2 epoch reports and a completion per leased trial; medians: leases ${cell('leases')}, reports ${cell('reports')} (large vs small)`,
      `per round, large/small: leases ${big.map((b, i) => (b.leases / small[i]!.leases).toFixed(2)).join(' ')}; reports ${big.map((b, i) => (b.reports / small[i]!.reports).toFixed(2)).join(' ')}; creating the ${o.large.toLocaleString('en')}-trial sweep took ${createLargeMs.toFixed(0)} ms`,
    ],
  };
}
