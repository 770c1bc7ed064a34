import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageVersion } from './package-version.js';

describe('packageVersion', () => {
  it('finds the named package.json above the module, however deep the module sits', () => {
    const own = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(packageVersion(import.meta.url, '@ablate/contracts')).toBe(own);
    expect(packageVersion(new URL('./deeper/still/module.js', import.meta.url).href, '@ablate/contracts')).toBe(own);
  });

  it("answers unknown when no package.json above has the name, and never throws", () => {
    expect(packageVersion(import.meta.url, '@ablate/no-such-package')).toBe('unknown');
  });
});
