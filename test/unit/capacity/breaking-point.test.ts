import { describe, expect, it } from 'vitest';
import { bracket, capacityFound, capacityLine, windowNoise } from '../../../lib/capacity/breaking-point.js';
import type { CapacityTargets } from '../../../lib/capacity/schema.js';

const targets: CapacityTargets = { p95Ms: 300, p99Ms: 500, errorRate: 0.001, targetUtilisation: 0.7, redundancy: 1, thinkTimeS: 3 };

/** A level judged as level.ts judges it (P95, P99 and errors within the targets). */
const level = (users: number, p95: number, p99: number, requests = 10_000, errorRate = 0) => ({
  users, requests, errorRate, complete: true, latencyMs: { p50: 50, p95, p99 },
  verdict: { run: { verdict: 'pass' as const, failed: [] }, steady: { withinTargets: p95 <= 300 && p99 <= 500 && errorRate <= 0.001 } },
});

describe('breaking point', () => {
  it('brackets the highest held level below the lowest broken one', () => {
    expect(bracket([level(2000, 200, 400), level(4000, 900, 1500), level(2800, 250, 350), level(3300, 320, 600)])).toEqual({ held: 2800, broken: 3300 });
    expect(bracket([level(2000, 200, 400)])).toEqual({ held: 2000, broken: null });
    expect(bracket([level(2000, 400, 900)])).toEqual({ held: null, broken: 2000 });
  });

  it('puts the order statistics\' 95 % interval on P95 and P99 and a Wilson interval on the error rate', () => {
    // n = 10 000: P95's rank moves by 1.96·√(0.95·0.05/n) = 0.004272; slope above P95 (400−200)/0.04 = 5000 ms per unit.
    const w = windowNoise(level(2000, 200, 400, 10_000, 0.001));
    expect(w.p95[1]).toBeCloseTo(221.36, 2);
    expect(w.p95[0]).toBeCloseTo(200 - (150 / 0.45) * 0.0042717, 3);
    expect(w.p99[1]).toBeCloseTo(400 + 5000 * 1.96 * Math.sqrt(0.0099 / 10_000), 6);
    expect(w.errorRate[0]).toBeCloseTo(0.000543, 6);
    expect(w.errorRate[1]).toBeCloseTo(0.00184, 6);
  });

  it('widens the bracket to the next clearly held and clearly broken levels when its ends are within noise', () => {
    // 2800 held at P95 295 ms, but its interval reaches 311 ms: the bound below is 2000; 3300 broke beyond noise.
    const c = capacityFound([level(2000, 200, 400), level(2800, 295, 450), level(3300, 320, 600), level(4000, 900, 1500)], targets);
    expect(c).toEqual({ users: 2800, low: 2000, high: 3300, note: 'bracket 2800–3300 users (held, broken); 2800 held within the targets but not beyond their sampling noise, so the bound below is 2000' });
    expect(capacityLine(c)).toBe('holds 2,800 users (2,000–3,300)');
    // 3300 broke at P95 302 ms, within noise of 300: the bound above is the next clearly broken level.
    expect(capacityFound([level(2000, 200, 400), level(2800, 250, 350), level(3300, 302, 450), level(4000, 900, 1500)], targets))
      .toMatchObject({ users: 2800, low: 2800, high: 4000 });
    // Few requests make the same figures noisy: 200 requests put 2800's P95 interval over the target.
    expect(capacityFound([level(2000, 100, 120, 200), level(2800, 250, 350, 200), level(4000, 900, 1500, 200)], targets))
      .toMatchObject({ users: 2800, low: 2000, high: 4000 });
  });

  it('says when no level broke (no top) and when none held (no capacity)', () => {
    const open = capacityFound([level(500, 50, 80), level(1000, 60, 90)], targets);
    expect(open).toEqual({ users: 1000, low: 1000, high: null, note: 'every level held up to 1000 users: no breaking point measured' });
    expect(capacityLine(open)).toBe('holds at least 1,000 users (no breaking point measured)');
    expect(capacityFound([level(500, 400, 900)], targets)).toBeNull();
    expect(capacityLine(null)).toBe('no level held the targets: capacity below the lowest level measured');
  });
});
