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

/** The searches compared, as bench:search compares them in-process. */
const VARIANTS = [
  { label: 'random', method: 'random', maxConcurrent: undefined },
  { label: 'TPE, 8 open (the scheduler default)', method: 'tpe', maxConcurrent: undefined },
  { label: 'TPE, 1 open (sequential, as Optuna runs it)', method: 'tpe', maxConcurrent: 1 },
] as const;

/**
 * Figure 5, TPE vs random through the real scheduler: for each seed a random sweep and two TPE
 * sweeps of `trials` trials on the known function, one with the scheduler's default window of 8
 * trials open and one with `maxConcurrent: 1` (each proposal sees every result before it);
 * simulated workers run zero-work trials and report the function's value. Best per sweep as the
 * scheduler ranks it (checked against what was reported); medians over the seeds. Random and
 * sequential TPE are deterministic for a seed; with 8 open, TPE's history depends on the order
 * results arrive in, so it varies from run to run.
 */
export async function searchFigure(ctx: BenchContext, o: SearchOptions): Promise<Figure> {
  const { url, token } = ctx.scheduler;
  const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  const sweeps = VARIANTS.map(() => [] as string[]);
  for (const seed of seeds) {
    for (const [i, v] of VARIANTS.entries())
      sweeps[i]!.push(
        (await ctx.user.createSweep(knownFunctionSpec(v.method, seed, o.trials, v.maxConcurrent))).id,
      );
  }
  const ids = new Set(sweeps.flat());
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
  const bests = VARIANTS.map(() => [] as number[]);
  let mismatched = 0;
  let short = 0;
  for (const [i, list] of sweeps.entries()) {
    for (const id of list) {
      const { sweep, best } = await sweepNow(ctx.user, id);
      if (best === null || best !== ownBest.get(id)) mismatched++;
      if (sweep.counts.completed !== o.trials) short++;
      bests[i]!.push(best ?? NaN);
    }
  }
  const [random, tpe8, tpe1] = bests.map(median) as [number, number, number];
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(3)} to ${Math.max(...xs).toFixed(3)}`;
  return {
    name: `TPE vs random on a known function (4-parameter quadratic with a categorical, minimum 0), median best after ${o.trials} trials over ${o.seeds} seeds`,
    measured: `TPE ${tpe8.toFixed(3)} (8 open), ${tpe1.toFixed(3)} (1 open); random ${random.toFixed(3)}`,
    anchor: "Optuna's TPE beats random",
    goal: 'TPE better than random; print both',
    met: tpe8 < random && tpe1 < random && mismatched === 0 && short === 0,
    details: [
      `run through the scheduler: ${ids.size} sweeps of cifar10-cnn params carrying bench:search's function (bench/scheduler/known-function.ts), ${o.workers} workers, zero-work trials reporting its value as val_loss; ${tally.completed} trials in ${wall.toFixed(1)} s`,
      `best per seed: ${VARIANTS.map((v, i) => `${v.label} ${spread(bests[i]!)}`).join('; ')}`,
      `sweeps whose best differs from what was reported: ${mismatched}; sweeps short of ${o.trials} completed: ${short}; refused or failed: ${tally.describeErrors()}`,
    ],
  };
}
