import { classificationMetrics, gridSpec, sweepNow, type BenchContext, type Figure } from './figure.js';
import { runWorkers, startWorkers, type TrialPlan } from './sim-worker.js';
import { WorkerTally } from './worker-tally.js';
import os from 'node:os';
import { CpuWindow } from './cpu-window.js';

export interface ThroughputOptions {
  trials: number;
  workers: number;
}

/**
 * Figure 2, zero-work trials per second: `workers` simulated workers lease, report one epoch and
 * complete trials of no work, as fast as the scheduler answers: the whole cost of a trial to the
 * scheduler and PostgreSQL: after each worker's first lease, two calls per trial (its log tail, and
 * the completion carrying its epoch, answered with the next lease), two status changes of the counts.
 */
export async function throughputFigure(ctx: BenchContext, o: ThroughputOptions): Promise<Figure> {
  const { url, token } = ctx.scheduler;
  const sweep = await ctx.user.createSweep(gridSpec('bench: zero-work trials', o.trials));
  const workers = await startWorkers(url, token, o.workers, 'zero-work');
  const tally = new WorkerTally();
  const plan: TrialPlan = {
    epochs: 1,
    epochMs: 0,
    metrics: (t, step) => classificationMetrics(t.params, step),
  };
  const cpu = await CpuWindow.begin(ctx.scheduler);
  const t0 = performance.now();
  await runWorkers(workers, plan, tally, () => tally.leases < o.trials);
  const wall = (performance.now() - t0) / 1000;
  const cpuUse = await cpu.end();
  const cpuLine = cpuUse.line;
  for (const w of workers) w.close();
  const perSecond = tally.completed / wall;
  /** ms of CPU per trial from a % of one core over the window. */
  const perTrial = (percent: number) => (((percent / 100) * 1000) / perSecond).toFixed(1);
  const { sweep: after } = await sweepNow(ctx.user, sweep.id);
  return {
    name: 'zero-work trials leased, reported and completed per second',
    measured: `${perSecond.toFixed(0)}/s`,
    anchor: 'Optuna on MySQL ≈ 8/s',
    goal: '≥ 500/s on this 2-core machine',
    met: perSecond >= 500 && tally.completed === o.trials,
    details: [
      `${o.workers} workers, ${o.trials.toLocaleString('en')} trials of one epoch, as the agent sends them: the log tail (${tally.logTailsInCompletion} inside the completion, ${tally.logTails} alone before it) and the epoch report inside the completion (${tally.roundTrips.epoch.length} went alone), ${tally.leasesByCompletion} of the ${tally.leases} leases in a completion's answer (${((tally.leases - tally.leasesByCompletion + tally.reports + tally.logTails) / wall).toFixed(0)} calls/s); ${tally.completed} completed in ${wall.toFixed(1)} s, sweep ${after.status}; refused or failed: ${tally.describeErrors()}`,
      `mean round trips (ms): ${tally.describeRoundTrips()}; ${cpuLine}`,
      `CPU per trial (ms): scheduler ${perTrial(cpuUse.scheduler)}, PostgreSQL ${perTrial(cpuUse.postgres)}, simulated workers ${perTrial(cpuUse.generator)}: ${perTrial(cpuUse.scheduler + cpuUse.postgres + cpuUse.generator)} in all, of the ${((os.cpus().length * 1000) / 500).toFixed(1)} ms per trial that ${os.cpus().length} cores give at 500/s`,
    ],
  };
}
