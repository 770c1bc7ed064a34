import { SweepSpec, planSweep, templates, type ApiError } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { INITIAL_SEARCH, parseRange, plannedTrials, searchSpec } from './search-fields';
import { buildSweepSpec, countTrials, initialFormValues, type TemplateInfo } from './sweep-form';

const mnist: TemplateInfo = {
  name: 'mnist-cnn',
  description: templates['mnist-cnn'].description,
  defaults: templates['mnist-cnn'].params.parse({}),
  metrics: templates['mnist-cnn'].metrics,
};

describe('search fields', () => {
  it('leaves the defaults out, so a plain grid spec is unchanged', () => {
    expect(searchSpec(INITIAL_SEARCH)).toEqual({});
    expect(searchSpec({ method: 'tpe', seed: '7', maxTrials: '30', repeats: '3', pruner: 'asha' })).toEqual({ method: 'tpe', seed: 7, maxTrials: 30, repeats: 3, pruner: { type: 'asha' } });
    // Not a number: sent as typed, so the scheduler names the field.
    expect(searchSpec({ ...INITIAL_SEARCH, maxTrials: 'lots' })).toEqual({ maxTrials: 'lots' });
  });

  it('reads ranges: uniform, integer (for an integer default) and log-uniform', () => {
    expect(parseRange('0.1..0.5', 0)).toEqual({ uniform: { min: 0.1, max: 0.5 } });
    expect(parseRange(' 1 .. 4 ', 3)).toEqual({ int: { min: 1, max: 4 } });
    expect(parseRange('log 1e-4..1e-1', 0.001)).toEqual({ loguniform: { min: 1e-4, max: 0.1 } });
    expect(parseRange('0, 0.5', 0)).toBeNull();
    expect(parseRange('a..b', 0)).toBeNull();
  });

  it('counts the trials a sweep will run', () => {
    expect(plannedTrials({ ...INITIAL_SEARCH, repeats: '3' }, 4)).toBe(12);
    expect(plannedTrials({ ...INITIAL_SEARCH, repeats: '3', maxTrials: '10' }, 4)).toBe(10);
    expect(plannedTrials({ ...INITIAL_SEARCH, method: 'random' }, 4)).toBeNull();
    expect(plannedTrials({ ...INITIAL_SEARCH, method: 'random', maxTrials: '25' }, 4)).toBe(25);
  });

  it('a TPE sweep over a learning-rate range with ASHA, as the form builds it, passes the scheduler validation', () => {
    const values = initialFormValues(mnist);
    const tpe = { ...values, params: { ...values.params, learningRate: 'log 1e-4..1e-2', dropout: '0..0.5' }, search: { method: 'tpe' as const, seed: '3', maxTrials: '20', repeats: '2', pruner: 'asha' as const } };
    const spec = SweepSpec.parse(buildSweepSpec(tpe, mnist));
    expect(spec).toMatchObject({ method: 'tpe', seed: 3, maxTrials: 20, repeats: 2, pruner: { type: 'asha' } });
    expect(spec.parameters.learningRate).toEqual({ loguniform: { min: 1e-4, max: 1e-2 } });
    expect(planSweep(buildSweepSpec(tpe, mnist)).trials).toEqual([]);
    expect(countTrials(tpe, mnist)).toBe(20);
    // A grid refuses the range, on its field.
    const refused = (() => {
      try {
        planSweep(buildSweepSpec({ ...tpe, search: INITIAL_SEARCH }, mnist));
      } catch (error) {
        return error as ApiError;
      }
      return undefined;
    })();
    expect(refused?.issues?.map((i) => i.path.split('.').slice(0, 2).join('.'))).toContain('parameters.learningRate');
  });
});
