/**
 * `npm run bench:search`: TPE against random search on a known function, as in issue 8. The
 * function is a 4-parameter quadratic bowl with a categorical (minimum 0): a real range, a log
 * range, an int range by step and a choice whose options shift the bowl. For each of 10 seeds a
 * sweep of 50 trials runs with random search, TPE one trial at a time (as Optuna runs it) and TPE
 * with 8 trials open at once (how the scheduler runs it by default); the table gives the median
 * over the seeds of the best value after 50 trials, then the cost of one TPE proposal.
 */
import type { ParameterSpace } from '@ablate/contracts';
import { RandomStrategy } from '../src/modules/search/random.strategy.js';
import type { Configuration, Observation, SearchStrategy } from '../src/modules/search/search.types.js';
import { TpeStrategy } from '../src/modules/search/tpe.strategy.js';

const SPACE: Record<string, ParameterSpace> = {
  x: { uniform: { min: -5, max: 5 } },
  learningRate: { loguniform: { min: 1e-5, max: 1 } },
  units: { int: { min: 8, max: 128, step: 8 } },
  optimizer: { categorical: { values: ['sgd', 'momentum', 'adam'] } },
};
const OFFSET: Record<string, number> = { sgd: 2, momentum: 1, adam: 0 };

/** The known function: 0 at x = 1.5, learningRate = 10^-2.5, units = 64, optimizer = adam. */
function objective(c: Configuration): number {
  const x = c.x as number;
  const lr = Math.log10(c.learningRate as number);
  const units = c.units as number;
  return (x - 1.5) ** 2 / 4 + (lr + 2.5) ** 2 / 2 + ((units - 64) / 24) ** 2 + OFFSET[c.optimizer as string]!;
}

/** Runs one sweep of `trials` with at most `open` running at once (the oldest finishes first); returns the best value. */
function runSweep(strategy: SearchStrategy, trials: number, open: number): number {
  let state = strategy.initialState();
  const history: Observation[] = [];
  const running: Configuration[] = [];
  let proposed = 0;
  let best = Infinity;
  while (history.length < trials) {
    const max = Math.min(open - running.length, trials - proposed);
    if (max > 0) {
      const p = strategy.propose({ state, history, max });
      state = p.state;
      running.push(...p.configurations);
      proposed += p.configurations.length;
    }
    const done = running.shift()!;
    const score = objective(done);
    best = Math.min(best, score);
    history.push({ params: done, score, status: 'completed', step: 1 });
  }
  return best;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const TRIALS = 50;
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const variants: [string, (seed: number) => SearchStrategy, number][] = [
  ['random', (seed) => new RandomStrategy(SPACE, seed), 1],
  ['tpe, 1 open (sequential)', (seed) => new TpeStrategy(SPACE, seed, 'minimize'), 1],
  ['tpe, 8 open (scheduler default)', (seed) => new TpeStrategy(SPACE, seed, 'minimize'), 8],
];

console.log(`best value after ${TRIALS} trials (minimum 0), ${SEEDS.length} seeds\n`);
console.log('| method | median best | best seed | worst seed |');
console.log('| --- | ---: | ---: | ---: |');
const medians: Record<string, number> = {};
for (const [name, make, open] of variants) {
  const bests = SEEDS.map((seed) => runSweep(make(seed), TRIALS, open));
  medians[name] = median(bests);
  console.log(`| ${name} | ${median(bests).toFixed(3)} | ${Math.min(...bests).toFixed(3)} | ${Math.max(...bests).toFixed(3)} |`);
}
const tpeWins = Object.entries(medians).every(([name, m]) => name === 'random' || m < medians.random!);
console.log(`\nTPE ${tpeWins ? 'beats' : 'does NOT beat'} random search on the median.`);

// Cost of one TPE proposal as the history grows (what a report transaction would pay).
for (const n of [50, 1000, 10_000]) {
  const strategy = new TpeStrategy(SPACE, 1, 'minimize');
  const rng = new RandomStrategy(SPACE, 99);
  const history = rng.propose({ state: rng.initialState(), history: [], max: n }).configurations.map((c) => ({ params: c, score: objective(c), status: 'completed' as const, step: 1 }));
  const reps = n >= 10_000 ? 5 : 20;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) strategy.propose({ state: strategy.initialState(), history, max: 1 });
  console.log(`one TPE proposal with ${n} finished trials: ${((performance.now() - t0) / reps).toFixed(2)} ms`);
}
if (!tpeWins) process.exitCode = 1;
