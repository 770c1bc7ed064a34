import { describe, expect, it } from 'vitest';
import { activeLink } from './top-nav';

describe('activeLink', () => {
  it('puts a sweep page under Sweeps, and the new sweep form under its own link', () => {
    expect(activeLink('/')).toBe('/');
    expect(activeLink('/sweeps/0b0c')).toBe('/');
    expect(activeLink('/sweeps/new')).toBe('/sweeps/new');
    expect(activeLink('/workers')).toBe('/workers');
  });
});
