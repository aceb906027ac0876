import { describe, expect, it } from 'vitest';
import {
  addressLoad, countLocalIps, DOCUMENT_LIMITS, loopbackRanges, planAddresses, usersPerAddress,
} from '../../../lib/run/source-ips.js';

describe('source addresses', () => {
  it('keeps an address at 4 users with the document limits and a 3 s think time (login limit 5, one spare)', () => {
    // Rate: 150 × 0.7 × 3 / 60 = 5.25 → 5 users; logins: 5 − 1 = 4 → the login limit decides.
    expect(usersPerAddress(DOCUMENT_LIMITS, 3)).toEqual({ users: 4, limitedBy: 'login' });
    // 1 s think time: 150 × 0.7 × 1 / 60 = 1.75 → 1 user; the rate decides.
    expect(usersPerAddress(DOCUMENT_LIMITS, 1)).toEqual({ users: 1, limitedBy: 'rate' });
    expect(usersPerAddress({ perMinute: 600, loginsPer5Min: 100 }, 3)).toEqual({ users: 21, limitedBy: 'rate' });
    expect(() => usersPerAddress(DOCUMENT_LIMITS, 0)).toThrow(/think time/);
  });

  it('plans 500 addresses for 2000 VUs, never fewer than the 253 (one per VU) the toolkit always spread over', () => {
    // 1000 VUs need 250; the old spread of 253 is kept, still at most 4 users (4 logins, 80 requests/min) each.
    expect(planAddresses(1000, DOCUMENT_LIMITS, 3)).toEqual({ addresses: 253, usersPerAddress: 4, limitedBy: 'login', requestsPerMinutePerAddress: 80 });
    expect(planAddresses(2000, DOCUMENT_LIMITS, 3).addresses).toBe(500);
    expect(planAddresses(2001, DOCUMENT_LIMITS, 3)).toMatchObject({ addresses: 501, usersPerAddress: 4 });
    expect(planAddresses(100, DOCUMENT_LIMITS, 3)).toMatchObject({ addresses: 100, usersPerAddress: 1 });
    expect(planAddresses(2000, null, 3)).toMatchObject({ addresses: 253, usersPerAddress: 8, limitedBy: 'none' });
  });

  it('writes loopback ranges one /24 at a time, never .0 or .255, and counts them back as k6 does', () => {
    expect(loopbackRanges(1)).toBe('127.0.0.2-127.0.0.2');
    expect(loopbackRanges(253)).toBe('127.0.0.2-127.0.0.254');
    expect(loopbackRanges(500)).toBe('127.0.0.2-127.0.0.254,127.0.1.1-127.0.1.247');
    expect(loopbackRanges(254 * 256 + 10).split(',').at(-1)).toBe('127.1.0.1-127.1.0.11');
    for (const n of [1, 253, 254, 500, 5000]) expect(countLocalIps(loopbackRanges(n))).toBe(n);
    // From another /16 (a capacity run's second step): every /24 from .1, none of 127.0.0.x.
    expect(loopbackRanges(300, 256)).toBe('127.1.0.1-127.1.0.254,127.1.1.1-127.1.1.46');
    expect(countLocalIps(loopbackRanges(5000, 512))).toBe(5000);
    expect(loopbackRanges(254, 256 * 256 - 1)).toBe('127.255.255.1-127.255.255.254');
    expect(() => loopbackRanges(255, 256 * 256 - 1)).toThrow('loopback address count must be 1–254 from block 65535, got 255');
    expect(() => loopbackRanges(1, 256 * 256)).toThrow('loopback block must be 0–65535, got 65536');
    expect(countLocalIps('10.0.0.1,10.0.0.5-10.0.0.9,192.168.0.0/24')).toBe(1 + 5 + 254);
    expect(countLocalIps('10.0.0.0/31')).toBe(2);
    expect(countLocalIps('fe80::1-fe80::9')).toBeNull();
    expect(() => loopbackRanges(0)).toThrow();
  });

  it('finds the busiest address over sliding 60 s and 300 s spans', () => {
    const hits = [
      ...Array.from({ length: 10 }, (_, i) => ({ ip: 'a', tMs: i * 6_000, login: i === 0 })), // 10 in [0, 54 s]
      { ip: 'a', tMs: 60_000, login: true }, // 60 s after the first: a new span
      ...Array.from({ length: 12 }, (_, i) => ({ ip: 'b', tMs: 100_000 + i * 5_000, login: i < 3 })), // 12 in 55 s
    ];
    expect(addressLoad(hits)).toEqual({ addresses: 2, maxPerMinute: { ip: 'b', count: 12 }, maxLoginsPer5Min: { ip: 'b', count: 3 } });
  });
});
