import { describe, expect, it } from 'vitest';
import { EXTRACTOR_NAMES, TransferParams } from './transfer.params.js';

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
