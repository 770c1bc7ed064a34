import { planSweep, templates } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { buildSweepSpec, countTrials, initialFormValues, parseValueList, templateKnobs, type TemplateInfo } from './sweep-form';

const mnist: TemplateInfo = {
  name: 'mnist-cnn',
  description: templates['mnist-cnn'].description,
  defaults: templates['mnist-cnn'].params.parse({}),
  metrics: templates['mnist-cnn'].metrics,
};

describe('initialFormValues', () => {
  it('opens on the dropout × batch-norm 2×2 grid ranked by validation accuracy', () => {
    const values = initialFormValues(mnist);
    expect(values.params.dropout).toBe('0, 0.5');
    expect(values.params.batchNorm).toBe('false, true');
    expect(values.params.epochs).toBe('3');
    expect(values).toMatchObject({ metricName: 'val_acc', goal: 'maximize', project: 'default' });
    expect(countTrials(values, mnist)).toBe(4);
  });

  it('launches with plain defaults: the spec passes the scheduler validation', () => {
    const spec = buildSweepSpec(initialFormValues(mnist), mnist);
    const planned = planSweep(spec);
    expect(planned.trials).toHaveLength(4);
    expect(planned.trials.map((t) => [t.dropout, t.batchNorm])).toEqual([
      [0, false],
      [0, true],
      [0.5, false],
      [0.5, true],
    ]);
  });
});

describe('parseValueList', () => {
  it('types values like the template default', () => {
    expect(parseValueList('0, 0.5, 1e-3', 0)).toEqual([0, 0.5, 0.001]);
    expect(parseValueList('false,true', false)).toEqual([false, true]);
    expect(parseValueList('1, two', 'x')).toEqual(['1', 'two']);
  });

  it('keeps what does not parse as text, so the scheduler names the field', () => {
    expect(parseValueList('0, abc', 0)).toEqual([0, 'abc']);
    expect(parseValueList('yes', false)).toEqual(['yes']);
  });

  it('treats an empty list as "use the default"', () => {
    expect(parseValueList(' , ', 0)).toEqual([]);
    const values = { ...initialFormValues(mnist), params: { dropout: '' } };
    expect(buildSweepSpec(values, mnist).parameters).toEqual({});
  });
});

describe('templateKnobs', () => {
  it('offers params that have no default, from the template schema', () => {
    const transfer = templates.transfer;
    const info: TemplateInfo = { name: transfer.name, description: transfer.description, defaults: { epochs: 20 }, metrics: transfer.metrics };
    const knobs = templateKnobs(info);
    expect(knobs.find((k) => k.key === 'extractor')).toEqual({ key: 'extractor', defaultValue: undefined, required: true });
    expect(knobs.find((k) => k.key === 'labels')).toMatchObject({ required: false });
    expect(knobs.find((k) => k.key === 'epochs')).toEqual({ key: 'epochs', defaultValue: 20, required: false });
  });

  it('keeps the schema order for mnist-cnn', () => {
    expect(templateKnobs(mnist).map((k) => k.key)).toEqual(Object.keys(mnist.defaults));
  });
});
