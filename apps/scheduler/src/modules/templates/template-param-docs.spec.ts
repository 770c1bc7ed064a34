import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types (the generator run by `npm run gen:param-docs`).
import { OUTPUT, extractParamDocs, renderParamDocs } from '../../../scripts/template-param-docs.mjs';

describe('template-param-docs.generated.ts', () => {
  it('matches the doc comments of the params files (else run: npm run gen:param-docs -w @ablate/scheduler)', () => {
    const fresh = (renderParamDocs as (docs: unknown) => string)((extractParamDocs as () => unknown)());
    expect(readFileSync(OUTPUT as string, 'utf8')).toBe(fresh);
  });

  it('reads the comment of a spread shared param and of a param set to a shared const', () => {
    const docs = (extractParamDocs as () => Record<string, Record<string, string>>)();
    expect(docs.Cifar10CnnParams?.imageFolder).toMatch(/^Image folder when/);
    expect(docs.Cifar10CnnParams?.seed).toMatch(/^Seed for weights/);
  });
});
