import type { ParameterSpace } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { RandomStrategy } from './random.strategy.js';
import { SeededRandom } from './seeded-random.js';

const spaces: Record<string, ParameterSpace> = {
  dropout: { uniform: { min: 0.1, max: 0.5 } },
  learningRate: { loguniform: { min: 1e-4, max: 1e-1 } },
  epochs: { int: { min: 2, max: 11, step: 3 } },
  batchNorm: { categorical: { values: [true, false], weights: [3, 1] } },
  position: { values: ['before', 'after'], when: { batchNorm: true } },
  fixed: { value: 'x' },
};

function draw(n: number, seed = 42) {
  const s = new RandomStrategy(spaces, seed);
  return s.propose({ state: s.initialState(), history: [], max: n }).configurations;
}

describe('RandomStrategy', () => {
  it('proposes the same configurations for the same seed, however the proposals are batched', () => {
    const s = new RandomStrategy(spaces, 7);
    const first = s.propose({ state: s.initialState(), history: [], max: 3 });
    const stored = JSON.parse(JSON.stringify(first.state)) as typeof first.state; // through jsonb and back
    const second = s.propose({ state: stored, history: [], max: 2 });
    expect([...first.configurations, ...second.configurations]).toEqual(draw(5, 7));
    expect(second.state.proposed).toBe(5);
    expect(draw(5, 8)).not.toEqual(draw(5, 7));
  });

  it('stays inside every space: real ranges, log ranges, the int step grid, listed values', () => {
    for (const c of draw(500)) {
      expect(c.dropout).toBeGreaterThanOrEqual(0.1);
      expect(c.dropout).toBeLessThan(0.5);
      expect(c.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(c.learningRate).toBeLessThanOrEqual(1e-1);
      expect([2, 5, 8, 11]).toContain(c.epochs);
      expect(c.fixed).toBe('x');
    }
  });

  it('samples a log range uniformly in its logarithm and categorical values by weight', () => {
    const configs = draw(4000);
    const belowGeometricMean = configs.filter((c) => (c.learningRate as number) < Math.sqrt(1e-4 * 1e-1)).length / configs.length;
    expect(belowGeometricMean).toBeGreaterThan(0.47);
    expect(belowGeometricMean).toBeLessThan(0.53);
    const withBn = configs.filter((c) => c.batchNorm === true).length / configs.length;
    expect(withBn).toBeGreaterThan(0.72);
    expect(withBn).toBeLessThan(0.78);
  });

  it('draws a conditional param exactly where its condition holds', () => {
    const configs = draw(200);
    expect(configs.every((c) => ('position' in c) === (c.batchNorm === true))).toBe(true);
    expect(new Set(configs.filter((c) => c.batchNorm === true).map((c) => c.position))).toEqual(new Set(['before', 'after']));
  });
});

describe('SeededRandom', () => {
  it('continues the same sequence from a stored state, and never picks a zero weight', () => {
    const a = SeededRandom.fromSeed(1);
    a.next();
    const b = SeededRandom.fromState(a.state());
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
    const picks = Array.from({ length: 1000 }, () => a.pick([0, 2, 0, 1]));
    expect(new Set(picks)).toEqual(new Set([1, 3]));
  });
});
