import type { ParameterSpace } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { formatCondition, initialKnob, knobFromSpace, knobSpace, parseCondition, parseValueList } from './knob-form';
import { param } from './template-fixtures';

describe('knobSpace: each kind of control becomes its space in the spec', () => {
  it('leaves a knob at its default out of the spec, and an empty list too', () => {
    expect(knobSpace(param('dropout'), initialKnob(param('dropout')))).toBeUndefined();
    expect(knobSpace(param('dropout'), { ...initialKnob(param('dropout')), text: ' , ' })).toBeUndefined();
    expect(knobSpace(param('batchNorm'), initialKnob(param('batchNorm')))).toBeUndefined();
  });

  it('lists typed numbers, ticked booleans in their own order, and keeps bad text for the contract to name', () => {
    expect(knobSpace(param('dropout'), { ...initialKnob(param('dropout')), text: '0, 0.5, 1e-3' })).toEqual({ values: [0, 0.5, 0.001] });
    expect(knobSpace(param('batchNorm'), { ...initialKnob(param('batchNorm')), picked: [true, false] })).toEqual({ values: [false, true] });
    expect(knobSpace(param('dropout'), { ...initialKnob(param('dropout')), text: '0, abc' })).toEqual({ values: [0, 'abc'] });
  });

  it('lists the ticked options of a choice in the order the template gives them', () => {
    const choice = { name: 'standardization', type: 'choice' as const, choices: ['auto', 'none', 'range', 'zscore'], default: 'auto', required: false, description: null };
    expect(knobSpace(choice, initialKnob(choice))).toBeUndefined();
    expect(knobSpace(choice, { ...initialKnob(choice), picked: ['zscore', 'auto'] })).toEqual({ values: ['auto', 'zscore'] });
    // Nothing ticked: the contract refuses the empty list on this knob's path.
    expect(knobSpace(choice, { ...initialKnob(choice), picked: [] })).toEqual({ values: [] });
  });

  it('makes a uniform range, an integer range for an integer param, and a log range', () => {
    const range = { ...initialKnob(param('dropout')), mode: 'range' as const, min: '0.1', max: '0.5' };
    expect(knobSpace(param('dropout'), range)).toEqual({ uniform: { min: 0.1, max: 0.5 } });
    expect(knobSpace(param('epochs'), { ...range, min: '1', max: '4' })).toEqual({ int: { min: 1, max: 4 } });
    expect(knobSpace(param('learningRate'), { ...range, min: '1e-4', max: '1e-2', log: true })).toEqual({ loguniform: { min: 0.0001, max: 0.01 } });
  });

  it('adds a condition, even to a knob at its default value', () => {
    const knob = { ...initialKnob(param('batchNormMomentum')), text: '0.9, 0.99', when: 'batchNorm=true' };
    expect(knobSpace(param('batchNormMomentum'), knob)).toEqual({ values: [0.9, 0.99], when: { batchNorm: true } });
    expect(knobSpace(param('dropout'), { ...initialKnob(param('dropout')), when: 'batchNorm=false' })).toEqual({ values: [0], when: { batchNorm: false } });
  });
});

describe('conditions', () => {
  it('parses pairs and alternatives, typed, and formats them back', () => {
    const condition = parseCondition('batchNorm=true, epochs=2|4; head=dense');
    expect(condition).toEqual({ batchNorm: true, epochs: [2, 4], head: 'dense' });
    expect(formatCondition(condition)).toBe('batchNorm=true, epochs=2|4, head=dense');
    expect(parseCondition('  ')).toBeUndefined();
  });
});

describe('knobFromSpace: a cloned spec back into controls', () => {
  it('round-trips lists, ranges and conditions', () => {
    const cases: [string, ParameterSpace][] = [
      ['dropout', { values: [0, 0.3] }],
      ['batchNorm', { values: [false, true], when: { epochs: 2 } }],
      ['dropout', { uniform: { min: 0, max: 0.5 } }],
      ['epochs', { int: { min: 1, max: 3 } }],
      ['learningRate', { loguniform: { min: 0.0001, max: 0.1 } }],
    ];
    for (const [name, space] of cases) {
      const knob = knobFromSpace(param(name), space);
      expect(knob && knobSpace(param(name), knob)).toEqual(space);
    }
  });

  it('refuses what the controls cannot show', () => {
    expect(knobFromSpace(param('epochs'), { int: { min: 1, max: 9, step: 2 } })).toBeNull();
    expect(knobFromSpace(param('dropout'), { categorical: { values: [0, 0.5], weights: [1, 3] } })).toBeNull();
  });
});

describe('parseValueList', () => {
  it('types numbers for number params and keeps text for text params', () => {
    expect(parseValueList('1, 2.5', { type: 'integer' })).toEqual([1, 2.5]);
    expect(parseValueList('1, two', { type: 'string' })).toEqual(['1', 'two']);
  });
});
