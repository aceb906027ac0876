import { describe, expect, it } from 'vitest';
import {
  instancesFor, isExtrapolated, judgeCell, judgeInstances, littlesLaw, mapEstimate, reconcileInstances, ruleText, usedComparison,
} from '../../../lib/capacity/sizing.js';

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

describe('sizing without contradiction', () => {
  const rule = { targetUtilisation: 0.7, redundancy: 1 };
  const est = (value: number, low: number, high: number) => ({ value, low, high, extrapolated: false });

  it('states the rule', () => {
    expect(ruleText(rule)).toBe('70 % target utilisation, N+1 redundancy');
  });

  it('never claims fewer instances than were measured to hold, and names a larger count as the rule\'s headroom', () => {
    // The case: 3 instances held 2000 users, the rule plans 6 (4–6).
    expect(reconcileInstances(2000, est(6, 4, 6), { instances: 3, users: 2000 }, rule)).toEqual({
      instances: est(6, 4, 6),
      note: "sizing: 6 instances = 3 measured to hold 2000 users + 3 of the rule's headroom (70 % target utilisation, N+1 redundancy)",
    });
    // The rule plans 2 (2–3) where 3 held: 3 is claimed, the 2 named and not claimed.
    expect(reconcileInstances(500, est(2, 2, 3), { instances: 3, users: 500 }, rule)).toEqual({
      instances: est(3, 3, 3),
      note: 'sizing: 3 instances, 3 measured to hold 500 users; the rule (70 % target utilisation, N+1 redundancy) plans 2, fewer than measured, which is not claimed: fewer instances were not measured',
    });
    expect(reconcileInstances(1000, est(3, 3, 4), { instances: 3, users: 1000 }, rule).note)
      .toBe('sizing: 3 instances, 3 measured to hold 1000 users, as the rule (70 % target utilisation, N+1 redundancy) plans');
    expect(reconcileInstances(4000, est(9, 7, 10), null, rule)).toEqual({
      instances: est(9, 7, 10),
      note: 'sizing: 9 instances by the rule (70 % target utilisation, N+1 redundancy); no level of 4000+ users was measured to hold',
    });
  });

  it('says how far an asserted amount is from what was used', () => {
    expect(usedComparison('ramGb', 8, { amount: 1.5, what: 'measured at 500 users' })).toBe('8 GB asserted, 1.5 GB used (measured at 500 users): 5.3× over');
    expect(usedComparison('apiInstances', 2, { amount: 3, what: 'held 2000 users' })).toBe('2 instances asserted, 3 instances used (held 2000 users): 1.5× short');
    expect(usedComparison('apiInstances', 3, { amount: 3, what: 'held 1000 users' })).toBe('3 instances asserted, 3 instances used (held 1000 users): as much as used');
    expect(usedComparison('dbConnections', 150, { amount: 0, what: 'busy' })).toBe('150 connections asserted, 0 connections used (busy): nothing used to compare with');
  });

  it('judges each cell two ways: does it suffice, and how far from what was used', () => {
    const ram = judgeCell(500, 'ramGb', 8, est(1.7, 1.2, 2.2), '', { amount: 1.5, what: 'measured at 500 users' });
    expect(ram).toEqual({
      users: 500, resource: 'ramGb', asserted: 8, verdict: 'confirmed', measured: est(1.7, 1.2, 2.2),
      reason: 'suffices: needs 1.7 GB (1.2–2.2); 8 GB suffice; 8 GB asserted, 1.5 GB used (measured at 500 users): 5.3× over',
    });
    expect(judgeCell(500, 'dbConnections', 1, est(2, 2, 3), '', { amount: 1.4, what: 'busy, predicted' }).reason)
      .toBe('does not suffice: needs 2 connections (2–3); 1 connections are too few; 1 connections asserted, 1.4 connections used (busy, predicted): 1.4× short');
  });

  it('confirms an instance count measured to hold, saying how far it is from the rule\'s count', () => {
    // 5 asserted for 2000 users; 3 held 2000 users; the rule plans 6 (4–6): suffices, 1 short of the rule's headroom.
    expect(judgeInstances(2000, 5, est(6, 4, 6), { instances: 3, users: 2000 }, rule, 'none')).toEqual({
      users: 2000, resource: 'apiInstances', asserted: 5, verdict: 'confirmed', measured: est(6, 4, 6),
      reason: 'suffices: 3 instances measured to hold 2000 users; the rule (70 % target utilisation, N+1 redundancy) plans 6: 1 short of its headroom, not of the measured need; 5 instances asserted, 3 instances used (held 2000 users): 1.7× over',
    });
    expect(judgeInstances(500, 3, est(3, 3, 3), { instances: 3, users: 500 }, rule, 'none').reason)
      .toBe('suffices: 3 instances measured to hold 500 users; the rule (70 % target utilisation, N+1 redundancy) plans 3, which 3 cover; 3 instances asserted, 3 instances used (held 500 users): as much as used');
    // Fewer than measured to hold were never measured: judged against the sized interval.
    const fewer = judgeInstances(2000, 2, est(6, 4, 6), { instances: 3, users: 2000 }, rule, 'none');
    expect(fewer.verdict).toBe('refuted');
    expect(fewer.reason).toBe('does not suffice: needs 6 instances (4–6); 2 instances are too few; 2 instances asserted, 3 instances used (held 2000 users): 1.5× short');
    // Nothing held that load: the sized interval alone.
    expect(judgeInstances(4000, 5, est(9, 7, 10), null, rule, 'none').verdict).toBe('refuted');
  });
});
