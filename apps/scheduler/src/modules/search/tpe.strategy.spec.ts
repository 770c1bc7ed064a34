import type { ParameterSpace } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { RandomStrategy } from './random.strategy.js';
import type { Observation } from './search.types.js';
import { TpeStrategy } from './tpe.strategy.js';

const done = (params: Record<string, unknown>, score: number): Observation => ({ params, score, status: 'completed', step: 10 });

/** 30 evenly spread configurations of x in [0, 1], scored by (x - 0.8)². */
const quadratic: Observation[] = Array.from({ length: 30 }, (_, i) => done({ x: (i + 0.5) / 30 }, ((i + 0.5) / 30 - 0.8) ** 2));

function propose(strategy: TpeStrategy, history: Observation[], max: number) {
  return strategy.propose({ state: strategy.initialState(), history, max }).configurations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('TpeStrategy', () => {
  it('draws from the priors, exactly as random search with its seed, until startupTrials configurations finished', () => {
    const spaces: Record<string, ParameterSpace> = { x: { uniform: { min: 0, max: 1 } }, c: { values: ['a', 'b'] } };
    const random = new RandomStrategy(spaces, 5);
    const tpe = new TpeStrategy(spaces, 5, 'minimize', { startupTrials: 10 });
    const randomOnes = random.propose({ state: random.initialState(), history: [], max: 4 }).configurations;
    expect(propose(tpe, quadratic.slice(0, 9), 4)).toEqual(randomOnes);
    expect(propose(tpe, quadratic.slice(0, 10), 4)).not.toEqual(randomOnes);
  });

  it('proposes near the best region of a fixed history, for either goal', () => {
    const spaces: Record<string, ParameterSpace> = { x: { uniform: { min: 0, max: 1 } } };
    const near = propose(new TpeStrategy(spaces, 1, 'minimize'), quadratic, 20).map((c) => c.x as number);
    expect(Math.abs(median(near) - 0.8)).toBeLessThan(0.1);
    const far = propose(new TpeStrategy(spaces, 1, 'maximize'), quadratic, 20).map((c) => c.x as number);
    expect(median(far)).toBeLessThan(0.3); // (x - 0.8)² is largest at x = 0
  });

  it('models a log range in log space and an int range on its step grid', () => {
    const spaces: Record<string, ParameterSpace> = { lr: { loguniform: { min: 1e-5, max: 1 } }, n: { int: { min: 1, max: 31, step: 2 } } };
    const history = Array.from({ length: 40 }, (_, i) => {
      const lr = 10 ** (-5 + (5 * i) / 39);
      const n = 1 + 2 * (i % 16);
      return done({ lr, n }, Math.abs(Math.log10(lr) + 3) + Math.abs(n - 21) / 10);
    });
    const got = propose(new TpeStrategy(spaces, 2, 'minimize'), history, 20);
    expect(Math.abs(median(got.map((c) => Math.log10(c.lr as number))) + 3)).toBeLessThan(0.75);
    expect(got.every((c) => typeof c.n === 'number' && c.n % 2 === 1 && c.n >= 1 && c.n <= 31)).toBe(true);
  });

  it('prefers the categorical value of the good configurations', () => {
    const spaces: Record<string, ParameterSpace> = { opt: { categorical: { values: ['sgd', 'adam', 'rmsprop'] } }, x: { uniform: { min: 0, max: 1 } } };
    // x sets the configurations apart (equal params would be repeats of one configuration)
    const history = Array.from({ length: 30 }, (_, i) => done({ opt: ['sgd', 'adam', 'rmsprop'][i % 3], x: i / 30 }, i % 3 === 1 ? 0.1 : 0.9 - i / 100));
    const got = propose(new TpeStrategy(spaces, 3, 'minimize'), history, 20);
    expect(got.filter((c) => c.opt === 'adam').length).toBeGreaterThanOrEqual(18);
  });

  it('fits a conditional param only on the configurations in which it exists', () => {
    const spaces: Record<string, ParameterSpace> = {
      batchNorm: { values: [true, false] },
      position: { values: ['before', 'after'], when: { batchNorm: true } },
      x: { uniform: { min: 0, max: 1 } },
    };
    // Good: batch norm with position "before". Bad: no batch norm, whose stored params carry the
    // template default "before" too; counted, that default would make TPE avoid "before".
    const history = [
      ...Array.from({ length: 4 }, (_, i) => done({ batchNorm: true, position: 'before', x: i / 20 }, 0.1)),
      ...Array.from({ length: 16 }, (_, i) => done({ batchNorm: false, position: 'before', x: (4 + i) / 20 }, 0.9)),
    ];
    const got = propose(new TpeStrategy(spaces, 4, 'minimize', { gamma: 0.2 }), history, 20);
    const withBn = got.filter((c) => c.batchNorm === true);
    expect(withBn.length).toBeGreaterThan(10);
    expect(withBn.filter((c) => c.position === 'before').length).toBeGreaterThanOrEqual(withBn.length - 2);
    expect(got.filter((c) => c.batchNorm === false).every((c) => !('position' in c))).toBe(true);
  });

  it('proposes the same configurations for the same state and history', () => {
    const spaces: Record<string, ParameterSpace> = { x: { uniform: { min: 0, max: 1 } } };
    const a = new TpeStrategy(spaces, 9, 'minimize');
    const first = a.propose({ state: a.initialState(), history: quadratic, max: 3 });
    const again = a.propose({ state: JSON.parse(JSON.stringify(a.initialState())) as ReturnType<typeof a.initialState>, history: quadratic, max: 3 });
    expect(again).toEqual(first);
    expect(first.state.proposed).toBe(3);
  });
});
