import { knownFunction, knownFunctionSpec } from './known-function.js';
import { median, sweepNow, type BenchContext, type Figure } from './figure.js';
import { runWorkers, startWorkers, type TrialPlan } from './sim-worker.js';
import { WorkerTally } from './worker-tally.js';

export interface SearchOptions {
  seeds: number;
  trials: number;
  workers: number;
}

const FINISHED = ['completed', 'failed', 'cancelled'];

/**
 * Figure 5, TPE vs random through the real scheduler: for each seed a random and a TPE sweep of
 * `trials` trials on the known function; simulated workers run zero-work trials and report the
 * function's value. TPE learns from results as they arrive, with the scheduler's default window
 * of 8 trials open. Best per sweep as the scheduler ranks it; medians over the seeds.
 */
export async function searchFigure(ctx: BenchContext, o: SearchOptions): Promise<Figure> {
  const { url, token } = ctx.scheduler;
  const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  const sweeps = { random: [] as string[], tpe: [] as string[] };
  for (const seed of seeds) {
    for (const method of ['random', 'tpe'] as const)
      sweeps[method].push((await ctx.user.createSweep(knownFunctionSpec(method, seed, o.trials))).id);
  }
  const ids = new Set([...sweeps.random, ...sweeps.tpe]);
  const ownBest = new Map<string, number>(); // what the workers reported, to check the scheduler's ranking
  const plan: TrialPlan = {
    epochs: 1,
    epochMs: 0,
    metrics: (t) => {
      const value = knownFunction(t.params);
      ownBest.set(t.sweepId, Math.min(ownBest.get(t.sweepId) ?? Infinity, value));
      return { val_loss: value };
    },
  };
  let done = false;
  const poll = setInterval(() => {
    ctx.user.listSweeps().then(
      (l) =>
        (done = l.sweeps.filter((s) => ids.has(s.id) && FINISHED.includes(s.status)).length === ids.size),
      () => undefined,
    );
  }, 250);
  const workers = await startWorkers(url, token, o.workers, 'search');
  const tally = new WorkerTally();
  const t0 = performance.now();
  await runWorkers(workers, plan, tally, () => !done);
  const wall = (performance.now() - t0) / 1000;
  clearInterval(poll);
  for (const w of workers) w.close();
  const bests = { random: [] as number[], tpe: [] as number[] };
  let mismatched = 0;
  let short = 0;
  for (const method of ['random', 'tpe'] as const) {
    for (const id of sweeps[method]) {
      const { sweep, best } = await sweepNow(ctx.user, id);
      if (best === null || best !== ownBest.get(id)) mismatched++;
      if (sweep.counts.completed !== o.trials) short++;
      bests[method].push(best ?? NaN);
    }
  }
  const [random, tpe] = [median(bests.random), median(bests.tpe)];
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(3)} to ${Math.max(...xs).toFixed(3)}`;
  return {
    name: `TPE vs random on a known function (4-parameter quadratic with a categorical, minimum 0), median best after ${o.trials} trials over ${o.seeds} seeds`,
    measured: `TPE ${tpe.toFixed(3)}, random ${random.toFixed(3)}`,
    anchor: "Optuna's TPE beats random",
    goal: 'TPE better than random; print both',
    met: tpe < random && mismatched === 0 && short === 0,
    details: [
      `run through the scheduler: ${o.seeds * 2} sweeps of cifar10-cnn params (bench:search's function, see bench/scheduler/known-function.ts), ${o.workers} workers, zero-work trials reporting the value as val_loss; ${tally.completed} trials in ${wall.toFixed(1)} s`,
      `best per seed: TPE ${spread(bests.tpe)}, random ${spread(bests.random)}; sweeps whose best differs from what was reported: ${mismatched}; sweeps short of ${o.trials} completed: ${short}; refused or failed: ${tally.describeErrors()}`,
    ],
  };
}
