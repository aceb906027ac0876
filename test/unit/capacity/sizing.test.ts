import { describe, expect, it } from 'vitest';
import { instancesFor, isExtrapolated, judgeCell, littlesLaw, mapEstimate } from '../../../lib/capacity/sizing.js';

describe('sizing rules', () => {
  it("Little's law: 400 queries/s each holding a connection 25 ms keep 10 busy", () => {
    expect(littlesLaw(400, 0.025)).toBeCloseTo(10, 12);
  });

  it('instances = ceil(needed / (per-instance × 0.7)) + redundancy', () => {
    const rule = { perInstanceRps: 100, targetUtilisation: 0.7, redundancy: 1 };
    expect(instancesFor(140, rule)).toBe(3); // 140 / 70 = 2 exactly → 2 + 1
    expect(instancesFor(141, rule)).toBe(4);
    expect(instancesFor(1, rule)).toBe(2);
    expect(instancesFor(0, { ...rule, redundancy: 0 })).toBe(1);
    expect(() => instancesFor(10, { ...rule, perInstanceRps: 0 })).toThrow(RangeError);
  });

  it('flags beyond 2× the largest measured level', () => {
    expect(isExtrapolated(200, 100)).toBe(false);
    expect(isExtrapolated(201, 100)).toBe(true);
  });

  it('maps estimates keeping low ≤ value ≤ high', () => {
    expect(mapEstimate({ value: 2, low: 1, high: 3, extrapolated: true }, (v) => -v)).toEqual({ value: -2, low: -3, high: -1, extrapolated: true });
  });

  it('judges asserted cells against the measured interval', () => {
    const need = { value: 4, low: 3, high: 5, extrapolated: false };
    expect(judgeCell(500, 'apiInstances', 5, need, '').verdict).toBe('confirmed');
    expect(judgeCell(500, 'apiInstances', 2, need, '').verdict).toBe('refuted');
    const mid = judgeCell(500, 'apiInstances', 4, need, '');
    expect(mid.verdict).toBe('not-measurable');
    expect(mid.reason).toMatch(/inside the interval/);
    const none = judgeCell(500, 'dbConnections', 150, null, 'no DB time measured');
    expect(none).toEqual({ users: 500, resource: 'dbConnections', asserted: 150, verdict: 'not-measurable', measured: null, reason: 'no DB time measured' });
    const far = judgeCell(500, 'ramGb', 8, { value: 0.3, low: 0.25, high: 0.4, extrapolated: true }, '');
    expect(far.verdict).toBe('confirmed');
    expect(far.reason).toMatch(/20× the need.*extrapolated/);
  });
});
