import { describe, expect, it } from 'vitest';
import { LOOPBACK_ONLY, TrustedSources } from './trusted-sources.js';

describe('trusted gateway sources', () => {
  it('takes addresses and CIDR ranges of both families, IPv4-mapped IPv6 as IPv4', () => {
    const t = new TrustedSources(['192.0.2.10', '10.1.0.0/16', '2001:db8::/32']);
    expect(t.has('192.0.2.10')).toBe(true);
    expect(t.has('192.0.2.11')).toBe(false);
    expect(t.has('10.1.200.3')).toBe(true);
    expect(t.has('::ffff:10.1.0.1')).toBe(true);
    expect(t.has('2001:db8::5')).toBe(true);
    expect(t.has('2001:db9::5')).toBe(false);
    expect(t.has('not an address')).toBe(false);
  });

  it('defaults to loopback only', () => {
    const t = new TrustedSources(LOOPBACK_ONLY);
    expect(t.has('127.0.0.1')).toBe(true);
    expect(t.has('127.0.0.2')).toBe(true);
    expect(t.has('::1')).toBe(true);
    expect(t.has('192.168.1.1')).toBe(false);
  });

  it('refuses what is not an address or a range', () => {
    expect(() => new TrustedSources(['pbx.contoso.com'])).toThrow(RangeError);
    expect(() => new TrustedSources(['10.0.0.0/33'])).toThrow(RangeError);
  });
});
