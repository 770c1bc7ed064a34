import { SweepSpec, planSweep, type ApiError } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { initialKnob } from './knob-form';
import { INITIAL_SEARCH, plannedTrials, searchSpec } from './search-fields';
import { buildSweepSpec, countTrials, initialFormValues } from './sweep-form';
import { mnist, param } from './template-fixtures';

describe('search fields', () => {
  it('leaves the defaults out, so a plain grid spec is unchanged', () => {
    expect(searchSpec(INITIAL_SEARCH)).toEqual({});
    expect(searchSpec({ method: 'tpe', seed: '7', maxTrials: '30', repeats: '3', pruner: 'asha' })).toEqual({ method: 'tpe', seed: 7, maxTrials: 30, repeats: 3, pruner: { type: 'asha' } });
    // Not a number: sent as typed, so the scheduler names the field.
    expect(searchSpec({ ...INITIAL_SEARCH, maxTrials: 'lots' })).toEqual({ maxTrials: 'lots' });
  });

  it('counts the trials a sweep will run', () => {
    expect(plannedTrials({ ...INITIAL_SEARCH, repeats: '3' }, 4)).toBe(12);
    expect(plannedTrials({ ...INITIAL_SEARCH, repeats: '3', maxTrials: '10' }, 4)).toBe(10);
    expect(plannedTrials({ ...INITIAL_SEARCH, method: 'random' }, 4)).toBeNull();
    expect(plannedTrials({ ...INITIAL_SEARCH, method: 'random', maxTrials: '25' }, 4)).toBe(25);
  });

  it('a TPE sweep over a learning-rate range with ASHA, as the form builds it, passes the scheduler validation', () => {
    const values = initialFormValues(mnist);
    const range = (name: string, min: string, max: string, log = false) => ({ ...initialKnob(param(name)), mode: 'range' as const, min, max, log });
    const knobs = { ...values.knobs, learningRate: range('learningRate', '1e-4', '1e-2', true), dropout: range('dropout', '0', '0.5') };
    const tpe = { ...values, knobs, search: { method: 'tpe' as const, seed: '3', maxTrials: '20', repeats: '2', pruner: 'asha' as const } };
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
