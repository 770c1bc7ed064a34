import { describe, expect, it } from 'vitest';
import { closestName } from './did-you-mean.js';
import { expandGrid, gridSize } from './grid-expansion.js';
import { configurationKey, expandRepeats } from './repeats.js';
import type { ParameterSpace } from './search-space.schema.js';
import { conditionHolds, conditionOrder, discreteValues, presentParams, spaceSize, spaceTakes } from './search-space.js';

const bnSpace: Record<string, ParameterSpace> = {
  // listed before its parent on purpose: expansion must still see batchNorm first
  position: { values: ['before', 'after'], when: { batchNorm: true } },
  dropout: { values: [0, 0.3, 0.5] },
  batchNorm: { values: [false, true] },
};

describe('expandGrid with conditions', () => {
  it('multiplies a conditional param only where its condition holds', () => {
    const combos = expandGrid(bnSpace);
    expect(combos).toHaveLength(9); // 3 dropouts × (no BN + BN before + BN after)
    expect(combos.filter((c) => c.batchNorm === false).every((c) => !('position' in c))).toBe(true);
    expect(combos.filter((c) => c.batchNorm === true).map((c) => c.position)).toEqual(['before', 'after', 'before', 'after', 'before', 'after']);
  });

  it('counts the same number without expanding, also for nested and listed conditions', () => {
    const nested: Record<string, ParameterSpace> = {
      ...bnSpace,
      momentum: { int: { min: 90, max: 99, step: 3 }, when: { position: ['after'] } },
      lr: { categorical: { values: [1, 2, 3, 4] } },
    };
    expect(gridSize(bnSpace)).toBe(9);
    expect(gridSize(nested)).toBe(expandGrid(nested).length);
    expect(gridSize(nested)).toBe(4 * 3 * (1 + 1 + 4));
    expect(gridSize({ a: { uniform: { min: 0, max: 1 } } })).toBe(Infinity);
  });

  it('keeps the spec order when no condition points forward, and finds cycles', () => {
    expect(conditionOrder({ a: { value: 1 }, b: { values: [1], when: { a: 1 } } })).toEqual(['a', 'b']);
    expect(conditionOrder(bnSpace)).toEqual(['dropout', 'batchNorm', 'position']);
    expect(conditionOrder({ a: { values: [1], when: { b: 1 } }, b: { values: [1], when: { a: 1 } } })).toBeUndefined();
  });
});

describe('space helpers', () => {
  it('lists int ranges by step and tells which values a space takes', () => {
    const int: ParameterSpace = { int: { min: 2, max: 11, step: 3 } };
    expect(spaceSize(int)).toBe(4);
    expect(discreteValues(int)).toEqual([2, 5, 8, 11]);
    expect([spaceTakes(int, 8), spaceTakes(int, 9), spaceTakes(int, 14), spaceTakes(int, '8')]).toEqual([true, false, false, false]);
    expect(spaceTakes({ loguniform: { min: 1e-4, max: 1e-1 } }, 0.01)).toBe(true);
    expect(spaceTakes({ categorical: { values: ['a', 'b'] } }, 'c')).toBe(false);
  });

  it('judges a conditional param present from a trial with template defaults filled in', () => {
    const params = { dropout: 0, batchNorm: false, position: 'before' }; // position: the template default
    expect(conditionHolds(bnSpace.position?.when, params)).toBe(false);
    expect([...presentParams(bnSpace, params)].sort()).toEqual(['batchNorm', 'dropout']);
    const nested: Record<string, ParameterSpace> = { ...bnSpace, m: { values: [1, 2], when: { position: 'before' } } };
    expect(presentParams(nested, { ...params, m: 1 }).has('m')).toBe(false); // its parent is only a default
  });
});

describe('repeats', () => {
  const configs = [{ a: 1 }, { a: 2 }];
  it('gives seeds 1..N, seed-major or config-major, and leaves single runs unchanged', () => {
    expect(expandRepeats(configs, 1, 'seed-major')).toEqual(configs);
    expect(expandRepeats(configs, 2, 'seed-major')).toEqual([{ a: 1, seed: 1 }, { a: 2, seed: 1 }, { a: 1, seed: 2 }, { a: 2, seed: 2 }]);
    expect(expandRepeats(configs, 2, 'config-major')).toEqual([{ a: 1, seed: 1 }, { a: 1, seed: 2 }, { a: 2, seed: 1 }, { a: 2, seed: 2 }]);
  });

  it('groups repeats by their params without the seed, whatever the key order', () => {
    expect(configurationKey({ b: 2, a: 1, seed: 3 })).toBe(configurationKey({ a: 1, seed: 7, b: 2 }));
    expect(configurationKey({ a: 1, b: 2 })).not.toBe(configurationKey({ a: 1, b: 3 }));
  });
});

describe('closestName', () => {
  it('suggests a name one or two edits away, a swap, or another case, and nothing far off', () => {
    const names = ['dropout', 'batchNorm', 'learningRate', 'epochs'];
    expect(closestName('dropuot', names)).toBe('dropout');
    expect(closestName('batchnorm', names)).toBe('batchNorm');
    expect(closestName('learning_rate', names)).toBe('learningRate');
    expect(closestName('epoch', names)).toBe('epochs');
    expect(closestName('momentum', names)).toBeUndefined();
  });
});
