import { describe, expect, it } from 'vitest';
import { chiSquareQuantile, dispersionBound, multiScaleDispersion } from '../../../../lib/gate/sequential/dispersion.js';
import type { SequentialCriterion } from '../../../../lib/gate/sequential/criteria.js';
import { lookFailShare, sequenceAlpha } from '../../../../lib/gate/sequential/look.js';
import { createSequentialMonitor } from '../../../../lib/gate/sequential/monitor.js';

const p95: SequentialCriterion = { id: 'overall p95 < 300 ms', group: 'overall', metric: 'p95', share: 0.05, passWhen: 'below', thresholdMs: 300, atOrAbove: true, gating: true };
const endpointErrors: SequentialCriterion = { id: 'GET /a errorRate < 0.1 %', group: 'GET /a', metric: 'errorRate', share: 0.001, passWhen: 'below', gating: false };

describe('overdispersion', () => {
  it('χ² quantiles (Wilson–Hilferty) agree with the published table where the bound is used', () => {
    // Table values: χ²(0.05; 59) = 42.339, χ²(0.05; 29) = 17.708, χ²(0.05; 9) = 3.325.
    expect(chiSquareQuantile(0.05, 59)).toBeCloseTo(42.339, 1);
    expect(chiSquareQuantile(0.05, 29)).toBeCloseTo(17.708, 1);
    expect(chiSquareQuantile(0.05, 9)).toBeCloseTo(3.325, 1);
  });

  it('is the Pearson χ² of the batches over its 97.5 % lower quantile, never below 1', () => {
    // p = 30/300 = 0.1; X² = (5−10)²/9 + (15−10)²/9 + 0 = 50/9; df 2; Wilson–Hilferty χ²(0.025; 2) =
    // 2·(1 − 1/9 − 1.9599640·√(1/9))³ = 0.0261447…
    const q = 2 * (1 - 1 / 9 - 1.959963984540054 / 3) ** 3;
    // (Acklam's normal quantile, relative error 1e-9, makes the last digits differ.)
    expect(dispersionBound([{ requests: 100, events: 5 }, { requests: 100, events: 15 }, { requests: 100, events: 10 }])).toBeCloseTo(50 / 9 / q, 5);
    expect(dispersionBound([{ requests: 100, events: 10 }, { requests: 100, events: 10 }, { requests: 100, events: 10 }])).toBe(1);
    // Too few batches, or no event yet.
    expect(dispersionBound([{ requests: 100, events: 5 }, { requests: 100, events: 15 }])).toBeUndefined();
    expect(dispersionBound([{ requests: 100, events: 0 }, { requests: 100, events: 0 }, { requests: 100, events: 0 }])).toBe(1);
  });

  it('takes the largest of the 10-second batches and their doublings once those are three, from 60 s on', () => {
    // 200 seconds alternating 20 s spells of 0 and 4 events in 100 requests: within 10-s batches the spells are
    // whole batches (dispersed); 20-s batches hold one spell each too; 40-s batches average them out.
    const seconds = Array.from({ length: 200 }, (_, s) => ({ requests: 100, events: Math.floor(s / 20) % 2 === 0 ? 0 : 4 }));
    const tenS = dispersionBound(Array.from({ length: 20 }, (_, b) => ({ requests: 1000, events: Math.floor(b / 2) % 2 === 0 ? 0 : 40 })))!;
    const twentyS = dispersionBound(Array.from({ length: 10 }, (_, b) => ({ requests: 2000, events: b % 2 === 0 ? 0 : 80 })), 10)!;
    expect(twentyS).toBeGreaterThan(tenS);
    expect(multiScaleDispersion(seconds, 10)).toBeCloseTo(twentyS, 9);
    // Not before three batches of 20 s: φ measured at one length cannot show memory longer than it.
    expect(multiScaleDispersion(seconds.slice(0, 59), 10)).toBeUndefined();
    expect(multiScaleDispersion(seconds.slice(0, 60), 10)).toBeCloseTo(dispersionBound(Array.from({ length: 3 }, (_, b) => ({ requests: 2000, events: b % 2 === 0 ? 0 : 80 })))!, 9);
  });
});

describe('the sequential monitor', () => {
  it('decides PASS at 60 s (three 20-s batches) when not one request was slow, with the mixture interval of the counts', () => {
    const m = createSequentialMonitor([p95]);
    for (let s = 1; s <= 59; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 0 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'undecided', decidedAtS: null, lower: 0, upper: 1, n: 5900, events: 0 });
    expect(m.allGatingDecided()).toBe(false);
    const [s60] = m.observe({ atS: 60, counts: [{ requests: 100, events: 0 }] });
    // 0 of 6000 (φ = 1: no event to show clustering): 1 − exp(−(ln 20 − ln(Γ(6000.5)/(Γ(½)Γ(6001))))/6000), mpmath.
    expect(s60).toMatchObject({ decision: 'pass', decidedAtS: 60, lower: 0, n: 6000, events: 0, dispersion: 1, seconds: 60 });
    expect(s60!.upper).toBeCloseTo(0.001318775554223494, 12);
    expect(m.allGatingDecided()).toBe(true);
    expect(m.anyGatingFailed()).toBe(false);
    // The decision stands; the bounds go on narrowing (0 of 9000, mpmath as above).
    for (let s = 61; s <= 90; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 0 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'pass', decidedAtS: 60 });
    expect(m.states()[0]!.upper).toBeCloseTo(0.000901882063403867464, 12);
  });

  it('decides FAIL when a fifth of the requests are slow, and a non-gating criterion does not hold the run', () => {
    const m = createSequentialMonitor([p95, endpointErrors]);
    for (let s = 1; s <= 60; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 20 }, { requests: 10, events: 0 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'fail', decidedAtS: 60 });
    expect(m.states()[0]!.lower).toBeGreaterThan(0.05);
    expect(m.states()[1]!.decision).toBe('undecided');
    expect(m.anyGatingFailed()).toBe(true);
    expect(m.allGatingDecided()).toBe(true);
  });

  it('decides FAIL at the early look when the first 5 s hold a share Markov\'s inequality excludes, and only then', () => {
    const errors: SequentialCriterion = { ...endpointErrors, id: 'overall errorRate < 0.1 %', group: 'overall', gating: true };
    // 0.1 % at α/4 = 1.25 %: 8 % failed requests; P95's 5 % would need 400 %, so it never looks and keeps all of α.
    expect(lookFailShare(errors, 0.05)).toBeCloseTo(0.08, 12);
    expect(lookFailShare(p95, 0.05)).toBeUndefined();
    expect(sequenceAlpha(errors, 0.05)).toBeCloseTo(0.0375, 15);
    expect(sequenceAlpha(p95, 0.05)).toBe(0.05);
    const m = createSequentialMonitor([p95, errors]);
    for (let s = 1; s <= 4; s++) m.observe({ atS: 10 + s, counts: [{ requests: 100, events: 100 }, { requests: 100, events: 8 }] });
    expect(m.states().map((s) => s.decision)).toEqual(['undecided', 'undecided']);
    const [slow, failed] = m.observe({ atS: 15, counts: [{ requests: 100, events: 100 }, { requests: 100, events: 8 }] });
    // 40 of 500 = 8 %: FAIL at the look; every request slow decides P95 only when φ is measured.
    expect([slow!.decision, failed!.decision, failed!.decidedAtS]).toEqual(['undecided', 'fail', 15]);
    expect(m.anyGatingFailed()).toBe(true);
    // 39 of 500 is below the look's share; after the look only the sequence decides.
    const n = createSequentialMonitor([errors]);
    for (let s = 1; s <= 5; s++) n.observe({ atS: s, counts: [{ requests: 100, events: s === 1 ? 7 : 8 }] });
    expect(n.states()[0]!.decision).toBe('undecided');
  });

  it('stays undecided on a share at the target', () => {
    const m = createSequentialMonitor([p95]);
    for (let s = 1; s <= 600; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 5 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'undecided', decidedAtS: null, n: 60000, events: 3000, dispersion: 1 });
  });

  it('refuses counts that are not one per criterion, or more events than requests', () => {
    const m = createSequentialMonitor([p95]);
    expect(() => m.observe({ atS: 1, counts: [] })).toThrow(RangeError);
    expect(() => m.observe({ atS: 1, counts: [{ requests: 1, events: 2 }] })).toThrow(RangeError);
    expect(() => createSequentialMonitor([p95], { alpha: 1 })).toThrow(RangeError);
  });
});
