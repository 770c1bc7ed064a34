import { describe, expect, it } from 'vitest';
import { actorOf } from './actor.js';

describe('actorOf', () => {
  it('keeps a plain name and adds the address', () => {
    expect(actorOf('alice', '127.0.0.1')).toBe('alice (127.0.0.1)');
    expect(actorOf('dashboard', '::ffff:10.0.0.7')).toBe('dashboard (10.0.0.7)');
  });

  it('decodes percent-encoding (a header is Latin-1, a user name need not be)', () => {
    expect(actorOf(encodeURIComponent('José Müller 李'), '::1')).toBe('José Müller 李 (::1)');
    expect(actorOf('100%', '::1')).toBe('100% (::1)');
  });

  it('makes the name printable and bounds it', () => {
    expect(actorOf(encodeURIComponent('eve\n[scheduler] completed\u202e\u0000'), '::1')).toBe('eve [scheduler] completed (::1)');
    expect(actorOf('x'.repeat(500), '::1')).toBe(`${'x'.repeat(100)} (::1)`);
    expect(actorOf(encodeURIComponent('😀'.repeat(150)), '::1')).toBe(`${'😀'.repeat(100)} (::1)`);
  });

  it('says someone when no name came, and when the address is unknown', () => {
    expect(actorOf(undefined, '127.0.0.1')).toBe('someone (127.0.0.1)');
    expect(actorOf(['  ', 'b'], undefined)).toBe('someone (unknown address)');
  });
});
