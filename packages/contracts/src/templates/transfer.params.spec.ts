import { describe, expect, it } from 'vitest';
import { EXTRACTOR_NAMES, TransferParams } from './transfer.params.js';
import type { ApiError } from '../errors.js';
import { planSweep } from '../sweep-spec.schema.js';

describe('transfer params: extractor', () => {
  it('takes a known name, a URL or a model.json path', () => {
    for (const extractor of [...EXTRACTOR_NAMES, 'https://host/m/model.json', 'models/vgg16/model.json', 'file:///m/model.json']) {
      expect(TransferParams.safeParse({ extractor }).success).toBe(true);
    }
  });

  it('refuses an unknown name, listing the known ones and the closest', () => {
    const issue = TransferParams.safeParse({ extractor: 'mobilenet_v3' }).error?.issues[0];
    expect(issue?.path).toEqual(['extractor']);
    expect(issue?.message).toBe(`unknown extractor "mobilenet_v3" (did you mean "mobilenet_v2"?); known: ${EXTRACTOR_NAMES.join(', ')}, or a model.json URL or path.`);
    expect(TransferParams.safeParse({ extractor: 'vgg16' }).error?.issues[0]?.message).toMatch(/VGG16 has no public TF\.js copy: convert it once/);
  });

  it('leaves inputSize and inputRange to the extractor unless given', () => {
    const p = TransferParams.parse({ extractor: 'mobilenet_v2' });
    expect([p.inputSize, p.inputRange]).toEqual([undefined, undefined]);
  });
});

describe('transfer params: augment', () => {
  const refusal = 'augmentation needs a head trained in epochs: use head: dense (a random forest is fitted once on the cached features), or augment: false';

  it('is off by default and taken with the dense head', () => {
    expect(TransferParams.parse({ extractor: 'mobilenet_v2' }).augment).toBe(false);
    expect(TransferParams.parse({ extractor: 'mobilenet_v2', augment: true }).augment).toBe(true);
  });

  it('refuses augment with the random-forest head, at the field, with the other refusals of the sweep', () => {
    const spec = {
      name: 'forest + augment', template: 'transfer', metric: { name: 'test_acc', goal: 'maximize' },
      parameters: { extractor: { values: ['mobilenet_v3'] }, head: { values: ['random-forest'] }, augment: { values: [true] } },
    };
    let issues: { path: string; message: string }[] = [];
    try {
      planSweep(spec);
    } catch (err) {
      issues = (err as ApiError).issues ?? [];
    }
    expect(issues).toContainEqual({ path: 'parameters.augment', message: `${refusal} (got true)` });
    expect(issues.map((i) => i.path)).toContain('parameters.extractor');
  });
});
