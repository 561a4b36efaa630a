import { describe, expect, test } from 'vitest';
import { clientAddress, clientKey } from './client-address.ts';

describe('clientAddress', () => {
  test('without TRUST_PROXY the socket is the client, whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.4', '203.0.113.7', 0)).toBe('198.51.100.4');
  });

  test('behind n proxies: the address the outermost one saw, counted from the right', () => {
    // client → proxy A (adds the client) → proxy B (adds A) → us (socket B)
    expect(clientAddress('10.0.0.2', '203.0.113.7, 10.0.0.9', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', '203.0.113.7', 1)).toBe('203.0.113.7');
  });

  test('entries a client writes itself stay on the left and are not believed', () => {
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
  });

  test('a request that skipped the proxy (no X-Forwarded-For) is its socket; none at all is unknown', () => {
    expect(clientAddress('198.51.100.4', undefined, 1)).toBe('198.51.100.4');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });
});

describe('clientKey', () => {
  test('IPv6 counts by /64; IPv4-mapped, bracketed and ported forms by their address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
    expect(clientKey('2001:db8:1:2:bbbb::9')).toBe(clientKey('2001:db8:1:2:aaaa::1'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('203.0.113.7:5123')).toBe('203.0.113.7');
    expect(clientKey('[2001:db8::1]:443')).toBe('2001:0db8:0000:0000::/64');
  });

  test('anything else is kept as text, capped', () => {
    expect(clientKey('x'.repeat(200))).toHaveLength(64);
  });
});
