import { describe, expect, it } from 'vitest';
import { ApiError, type ValidationIssue } from './errors.js';
import { planSweep, SweepSpec } from './sweep-spec.schema.js';

const base = { name: 'search', template: 'cifar10-cnn', metric: { name: 'val_acc', goal: 'maximize' } };
const random = { ...base, method: 'random', maxTrials: 20 };

function issuesOf(raw: unknown): ValidationIssue[] {
  try {
    planSweep(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).issues ?? [];
  }
  throw new Error('expected planSweep to throw');
}

/** The one issue at `path`, failing the test if there is none. */
function at(issues: ValidationIssue[], path: string): string {
  const found = issues.filter((i) => i.path === path);
  expect(found.map((i) => i.path), JSON.stringify(issues)).toEqual([path]);
  return found[0]!.message;
}

describe('planSweep with search spaces: bad input, each at its field path', () => {
  it('refuses a range whose min is not below its max, and a log range reaching 0', () => {
    const issues = issuesOf({ ...random, parameters: { dropout: { uniform: { min: 0.5, max: 0.5 } }, epochs: { int: { min: 9, max: 3 } }, learningRate: { loguniform: { min: 0, max: 0.1 } } } });
    expect(at(issues, 'parameters.dropout.uniform.min')).toBe('min (0.5) must be below max (0.5)');
    expect(at(issues, 'parameters.epochs.int.min')).toBe('min (9) must be below max (3)');
    expect(at(issues, 'parameters.learningRate.loguniform.min')).toContain('above 0');
  });

  it('refuses conditions on an unknown param (with a suggestion), on a value never taken, and on a real range', () => {
    const issues = issuesOf({
      ...random,
      parameters: {
        batchNorm: { values: [true] },
        dropout: { uniform: { min: 0, max: 0.5 } },
        batchNormPosition: { categorical: { values: ['before-activation', 'after-activation'] }, when: { batchnorm: true } },
        batchNormMomentum: { uniform: { min: 0.9, max: 0.99 }, when: { batchNorm: [true, false] } },
        rotation: { values: [0, 15], when: { dropout: 0.3 } },
      },
    });
    expect(at(issues, 'parameters.batchNormPosition.when.batchnorm')).toContain('did you mean `batchNorm`?');
    expect(at(issues, 'parameters.batchNormMomentum.when.batchNorm')).toBe('batchNorm never takes false (it takes true)');
    expect(at(issues, 'parameters.rotation.when.dropout')).toContain('real range');
  });

  it('refuses a cycle of conditions', () => {
    const issues = issuesOf({ ...random, parameters: { augment: { values: [true, false], when: { horizontalFlip: true } }, horizontalFlip: { values: [true, false], when: { augment: true } } } });
    expect(at(issues, 'parameters')).toContain('cycle');
  });

  it('refuses a grid over a real range, and random or tpe without maxTrials', () => {
    expect(at(issuesOf({ ...base, parameters: { dropout: { uniform: { min: 0, max: 0.5 } } } }), 'parameters.dropout.uniform')).toContain('set method to random or tpe');
    expect(at(issuesOf({ ...base, method: 'tpe', parameters: { dropout: { uniform: { min: 0, max: 0.5 } } } }), 'maxTrials')).toContain('method tpe needs maxTrials');
  });

  it('refuses repeats below 1, repeats over a swept seed, and a maxTrials that splits a configuration', () => {
    expect(at(issuesOf({ ...base, repeats: 0 }), 'repeats')).toContain('at least 1');
    const issues = issuesOf({ ...random, repeats: 3, parameters: { seed: { values: [1, 2] } } });
    expect(at(issues, 'parameters.seed')).toContain('remove parameters.seed');
    expect(at(issues, 'maxTrials')).toContain('multiple of repeats (3)');
  });

  it('says "did you mean" for a misspelt parameter name and a misspelt kind of space', () => {
    const issues = issuesOf({ ...random, parameters: { dropuot: { uniform: { min: 0, max: 0.5 } }, augment: { categorical: { values: [true, false] } }, zoom: { unifrom: { min: 0, max: 0.2 } } } });
    expect(at(issues, 'parameters.dropuot')).toBe('template cifar10-cnn has no parameter dropuot; did you mean `dropout`?');
    expect(at(issues, 'parameters.zoom.unifrom')).toContain('did you mean `uniform`?');
  });

  it('explains a space that matches no kind at the field inside it, and weights that do not fit', () => {
    const issues = issuesOf({ ...random, parameters: { dropout: { uniform: { min: 'low', max: 0.5 } }, augment: { categorical: { values: [true, false], weights: [1] } }, zoom: 0.1 } });
    expect(at(issues, 'parameters.dropout.uniform.min')).toContain('expected number');
    expect(at(issues, 'parameters.augment.categorical.weights')).toBe('give one weight per value (2)');
    expect(at(issues, 'parameters.zoom')).toContain('give an object');
  });

  it('checks what a sampled space can produce against the template: bounds, and a real range over an integer', () => {
    const issues = issuesOf({ ...random, parameters: { dropout: { uniform: { min: 0, max: 1.5 } }, epochs: { uniform: { min: 1, max: 3 } } } });
    expect(at(issues, 'parameters.dropout')).toContain('(got 1.5)');
    expect(at(issues, 'parameters.epochs')).toContain('use int for a whole-number parameter');
  });

  it('reports every problem at once, also those behind a field that stops zod early', () => {
    const issues = issuesOf({ ...random, name: '', repeats: 3, pruner: { type: 'hyperband' }, tpe: {}, parameters: { dropout: { uniform: { min: 0, max: 1.5 } }, seed: { values: [1] }, zoom: { unifrom: {} } } });
    expect(issues.map((i) => i.path).sort()).toEqual(['maxTrials', 'name', 'parameters.dropout', 'parameters.seed', 'parameters.zoom.unifrom', 'pruner.type', 'tpe'].sort());
  });

  it('refuses an unknown pruner, ASHA with maxSteps not above its grace period, and tpe options without tpe', () => {
    expect(at(issuesOf({ ...base, pruner: { type: 'hyperband' } }), 'pruner.type')).toBe('pruner.type must be none, median or asha');
    expect(at(issuesOf({ ...base, pruner: { type: 'asha', gracePeriod: 4, maxSteps: 4 } }), 'pruner.maxSteps')).toContain('above gracePeriod');
    expect(at(issuesOf({ ...random, tpe: { gamma: 0.2 } }), 'tpe')).toContain('only apply to method tpe');
  });
});

describe('planSweep with search spaces: what it plans', () => {
  it('validates a random or TPE spec and leaves the trials to the search strategy', () => {
    const raw = {
      ...base,
      method: 'tpe',
      seed: 7,
      maxTrials: 30,
      repeats: 3,
      parameters: {
        dropout: { uniform: { min: 0, max: 0.5 } },
        learningRate: { loguniform: { min: 1e-4, max: 1e-2 } },
        batchNorm: { categorical: { values: [true, false], weights: [2, 1] } },
        batchNormPosition: { values: ['before-activation', 'after-activation'], when: { batchNorm: true } },
        epochs: { int: { min: 2, max: 10, step: 2 } },
      },
      pruner: { type: 'asha' },
      tpe: {},
    };
    const { spec, trials } = planSweep(raw);
    expect(trials).toEqual([]);
    expect(spec.pruner).toEqual({ type: 'asha', gracePeriod: 1, reductionFactor: 3 });
    expect(spec.tpe).toEqual({ startupTrials: 10, candidates: 24, gamma: 0.1 });
    expect(SweepSpec.parse(spec)).toEqual(spec); // a stored spec reads back the same
  });

  it('runs a grid configuration per seed, seed-major, capped by maxTrials', () => {
    const parameters = { dropout: { values: [0, 0.3] }, batchNorm: { values: [false, true] }, batchNormPosition: { values: ['before-activation', 'after-activation'], when: { batchNorm: true } } };
    const all = planSweep({ ...base, repeats: 2, parameters }).trials;
    expect(all).toHaveLength(12);
    expect(all.map((t) => t.seed)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(all.slice(0, 3).map((t) => [t.dropout, t.batchNorm, t.batchNormPosition])).toEqual([
      [0, false, 'before-activation'], // the template default: the condition does not hold
      [0, true, 'before-activation'],
      [0, true, 'after-activation'],
    ]);
    expect(planSweep({ ...base, repeats: 2, maxTrials: 5, parameters }).trials).toEqual(all.slice(0, 5));
  });
});
