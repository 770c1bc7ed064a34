import { planSweep } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { initialKnob } from './knob-form';
import { buildSweepSpec, countTrials, formFromSpec, initialFormValues, templateParams } from './sweep-form';
import { mnist, param } from './template-fixtures';

describe('initialFormValues', () => {
  it('opens on the dropout × batch-norm 2×2 grid ranked by validation accuracy', () => {
    const values = initialFormValues(mnist);
    expect(values.knobs.dropout?.text).toBe('0, 0.5');
    expect(values.knobs.batchNorm?.picked).toEqual([false, true]);
    expect(values.knobs.epochs?.text).toBe('3');
    expect(values).toMatchObject({ metricName: 'val_acc', goal: 'maximize', project: 'default' });
    expect(countTrials(values, mnist)).toBe(4);
  });

  it('launches with plain defaults: the spec passes the contract', () => {
    const spec = buildSweepSpec(initialFormValues(mnist), mnist);
    expect(spec.parameters).toEqual({ dropout: { values: [0, 0.5] }, batchNorm: { values: [false, true] } });
    expect(planSweep(spec).trials.map((t) => [t.dropout, t.batchNorm])).toEqual([
      [0, false],
      [0, true],
      [0.5, false],
      [0.5, true],
    ]);
  });

  it('types knobs by their defaults when the scheduler lists no params (an older one)', () => {
    const { params: _params, ...old } = mnist;
    expect(templateParams(old).find((p) => p.name === 'epochs')).toMatchObject({ type: 'integer', default: 3 });
    expect(templateParams(old).find((p) => p.name === 'batchNorm')).toMatchObject({ type: 'boolean' });
  });
});

describe('formFromSpec (clone this sweep)', () => {
  it('prefills every control from a stored spec and builds the same spec back', () => {
    const values = { ...initialFormValues(mnist), name: 'lr search' };
    values.knobs = { ...values.knobs, learningRate: { ...initialKnob(param('learningRate')), mode: 'range', min: '1e-4', max: '1e-2', log: true } };
    values.search = { method: 'random', seed: '7', maxTrials: '6', repeats: '2', pruner: 'median' };
    const stored = planSweep(buildSweepSpec(values, mnist)).spec;
    const clone = formFromSpec(stored, mnist);
    expect(clone?.name).toBe('lr search (clone)');
    expect(clone?.search).toEqual(values.search);
    const rebuilt = planSweep(buildSweepSpec(clone!, mnist)).spec;
    expect({ ...rebuilt, name: stored.name }).toEqual(stored);
  });

  it('hands a spec the form cannot show to the YAML tab (null)', () => {
    const stored = planSweep({ name: 'x', template: 'mnist-cnn', method: 'random', maxTrials: 3, parameters: { epochs: { int: { min: 1, max: 9, step: 2 } } }, metric: { name: 'val_acc', goal: 'maximize' } }).spec;
    expect(formFromSpec(stored, mnist)).toBeNull();
  });
});
