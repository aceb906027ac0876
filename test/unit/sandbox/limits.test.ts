import { describe, expect, it } from 'vitest';
import { clientIp, WindowLimiter } from '../../../sandbox/lb/limits.js';

describe('WindowLimiter', () => {
  it('refuses the (limit+1)-th hit inside a window, per key, and opens a new window after it', () => {
    const l = new WindowLimiter(3, 60_000);
    expect([0, 1, 2, 3].map((t) => l.hit('a', t).allowed)).toEqual([true, true, true, false]);
    expect(l.hit('b', 10).allowed).toBe(true);
    expect(l.hit('a', 30_000)).toEqual({ allowed: false, retryAfterS: 30 });
    expect(l.hit('a', 60_000).allowed).toBe(true);
  });
});

describe('clientIp', () => {
  it('unwraps IPv4-mapped IPv6 addresses', () => {
    expect(clientIp('::ffff:127.0.0.5')).toBe('127.0.0.5');
    expect(clientIp('::1')).toBe('::1');
    expect(clientIp(undefined)).toBe('unknown');
  });
});
