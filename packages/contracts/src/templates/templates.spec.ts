import { describe, expect, it } from 'vitest';
import { planSweep } from '../sweep-spec.schema.js';
import { templates, templateNames } from './index.js';

describe('template params', () => {
  it('fills defaults and accepts its own output again (the worker re-validates stored params)', () => {
    const required: Record<string, Record<string, unknown>> = { transfer: { extractor: '/models/vgg16/model.json' }, command: { command: 'python3 train.py' } };
    for (const name of templateNames) {
      const parsed = templates[name].params.parse(required[name] ?? {});
      expect(templates[name].params.parse(parsed)).toEqual(parsed);
    }
  });

  it('parses dilation schedules written as strings, so a sweep can grid over them', () => {
    const plan = planSweep({
      name: 'dilation',
      template: 'timeseries-causal-cnn',
      parameters: { dilations: { values: ['none', '1,2,4,8'] } },
      metric: { name: 'val_mse', goal: 'minimize' },
    });
    expect(plan.trials.map((t) => t['dilations'])).toEqual([[], [1, 2, 4, 8]]);
  });

  it('names the field and what to fix', () => {
    const ts = templates['timeseries-causal-cnn'].params;
    expect(ts.safeParse({ dilations: '1,2' }).error?.issues[0]).toMatchObject({ path: ['dilations'] });
    expect(ts.safeParse({ dilations: '1;2' }).error?.issues[0]?.message).toMatch(/comma-separated/);
    expect(ts.safeParse({ dataset: 'csv' }).error?.issues[0]).toMatchObject({ path: ['csvPath'] });
    const cifar = templates['cifar10-cnn'].params;
    expect(cifar.safeParse({ dataset: 'image-folder' }).error?.issues[0]?.message).toMatch(/give imageFolder/);
    expect(cifar.safeParse({ dataset: 'image-folder', imageFolder: '/data/flowers' }).success).toBe(true);
    expect(cifar.safeParse({ standardization: 'minmax' }).success).toBe(false);
    const transfer = templates.transfer.params;
    expect(transfer.safeParse({ extractor: 'm.json', labels: 100, trainSize: 50 }).error?.issues[0]).toMatchObject({ path: ['labels'] });
  });
});
