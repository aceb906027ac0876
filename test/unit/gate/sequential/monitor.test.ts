import { describe, expect, it } from 'vitest';
import { chiSquareQuantile, dispersionBound, multiScaleDispersion } from '../../../../lib/gate/sequential/dispersion.js';
import type { SequentialCriterion } from '../../../../lib/gate/sequential/criteria.js';
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

  it('is the Pearson χ² of the batches over its 95 % lower quantile, never below 1', () => {
    // p = 30/300 = 0.1; X² = (5−10)²/9 + (15−10)²/9 + 0 = 50/9; df 2; Wilson–Hilferty χ²(0.05; 2) =
    // 2·(1 − 1/9 − 1.6448536·√(1/9))³ = 0.0790285…
    const q = 2 * (1 - 1 / 9 - 1.6448536269514722 / 3) ** 3;
    // (Acklam's normal quantile, relative error 1e-9, makes the last digits differ.)
    expect(dispersionBound([{ requests: 100, events: 5 }, { requests: 100, events: 15 }, { requests: 100, events: 10 }])).toBeCloseTo(50 / 9 / q, 5);
    expect(dispersionBound([{ requests: 100, events: 10 }, { requests: 100, events: 10 }, { requests: 100, events: 10 }])).toBe(1);
    // Too few batches, or no event yet.
    expect(dispersionBound([{ requests: 100, events: 5 }, { requests: 100, events: 15 }])).toBeUndefined();
    expect(dispersionBound([{ requests: 100, events: 0 }, { requests: 100, events: 0 }, { requests: 100, events: 0 }])).toBe(1);
  });

  it('takes the larger of the 10-second batches and their doublings once those are ten', () => {
    // 200 seconds alternating 20 s spells of 0 and 4 events in 100 requests: within 10-s batches the spells are
    // whole batches (dispersed); 20-s batches hold one spell each too; 40-s batches average them out.
    const seconds = Array.from({ length: 200 }, (_, s) => ({ requests: 100, events: Math.floor(s / 20) % 2 === 0 ? 0 : 4 }));
    const tenS = dispersionBound(Array.from({ length: 20 }, (_, b) => ({ requests: 1000, events: Math.floor(b / 2) % 2 === 0 ? 0 : 40 })))!;
    const twentyS = dispersionBound(Array.from({ length: 10 }, (_, b) => ({ requests: 2000, events: b % 2 === 0 ? 0 : 80 })), 10)!;
    expect(twentyS).toBeGreaterThan(tenS);
    expect(multiScaleDispersion(seconds, 10)).toBeCloseTo(twentyS, 9);
    expect(multiScaleDispersion(seconds.slice(0, 29), 10)).toBeUndefined();
  });
});

describe('the sequential monitor', () => {
  it('decides PASS at the third batch when not one request was slow, with the mixture interval of the counts', () => {
    const m = createSequentialMonitor([p95]);
    for (let s = 1; s <= 29; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 0 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'undecided', decidedAtS: null, lower: 0, upper: 1, n: 2900, events: 0 });
    expect(m.allGatingDecided()).toBe(false);
    const [s30] = m.observe({ atS: 30, counts: [{ requests: 100, events: 0 }] });
    // 0 of 3000 (φ = 1: no event to show clustering): 1 − exp(−(ln 20 − ln(Γ(3000.5)/(Γ(½)Γ(3001))))/3000), mpmath.
    expect(s30).toMatchObject({ decision: 'pass', decidedAtS: 30, lower: 0, n: 3000, events: 0, dispersion: 1, seconds: 30 });
    expect(s30!.upper).toBeCloseTo(0.0025205921816411133, 12);
    expect(m.allGatingDecided()).toBe(true);
    expect(m.anyGatingFailed()).toBe(false);
    // The decision stands; the bounds go on narrowing.
    for (let s = 31; s <= 60; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 0 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'pass', decidedAtS: 30 });
    expect(m.states()[0]!.upper).toBeCloseTo(0.001318775554223494, 12);
  });

  it('decides FAIL when a fifth of the requests are slow, and a non-gating criterion does not hold the run', () => {
    const m = createSequentialMonitor([p95, endpointErrors]);
    for (let s = 1; s <= 30; s++) m.observe({ atS: s, counts: [{ requests: 100, events: 20 }, { requests: 10, events: 0 }] });
    expect(m.states()[0]).toMatchObject({ decision: 'fail', decidedAtS: 30 });
    expect(m.states()[0]!.lower).toBeGreaterThan(0.05);
    expect(m.states()[1]!.decision).toBe('undecided');
    expect(m.anyGatingFailed()).toBe(true);
    expect(m.allGatingDecided()).toBe(true);
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
