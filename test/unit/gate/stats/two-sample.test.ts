import { describe, expect, it } from 'vitest';
import { buckets, createHistogram, recordMs, type Bucket } from '../../../../lib/histogram.js';
import { hodgesLehmann, pairDifferenceSelector } from '../../../../lib/gate/stats/hodges-lehmann.js';
import { mannWhitney } from '../../../../lib/gate/stats/mann-whitney.js';
import { weighted } from '../../../../lib/gate/stats/rank-samples.js';
import { twoProportion } from '../../../../lib/gate/stats/two-proportion.js';
import { seeded } from '../seeded.js';

/** Buckets of values given in microseconds (≤ 2047 µs are stored exactly). */
function bucketsOfUs(values: number[]): Bucket[] {
  const h = createHistogram();
  for (const v of values) recordMs(h, v / 1000);
  return buckets(h);
}

function expand(bs: Bucket[]): number[] {
  return bs.flatMap((b) => Array.from({ length: b.count }, () => Math.round(b.valueMs * 1000)));
}

describe('Mann–Whitney U on buckets', () => {
  it('matches the textbook case without ties', () => {
    const r = mannWhitney(bucketsOfUs([1, 2, 3, 4, 5]), bucketsOfUs([6, 7, 8, 9, 10]));
    expect(r.u).toBe(25);
    expect(r.sigma).toBeCloseTo(Math.sqrt((25 * 11) / 12), 12);
    expect(r.z).toBeCloseTo(12 / Math.sqrt((25 * 11) / 12), 12); // 2.5067
    expect(r.p).toBeCloseTo(0.012186, 5);
  });

  it('gives ties mid-ranks and corrects the variance', () => {
    const r = mannWhitney(bucketsOfUs([1, 2, 2, 3]), bucketsOfUs([2, 3, 3, 4]));
    expect(r.u).toBe(13);
    const variance = (16 / 12) * (9 - 48 / 56);
    expect(r.sigma).toBeCloseTo(Math.sqrt(variance), 12);
    expect(r.z).toBeCloseTo(4.5 / Math.sqrt(variance), 12);
    expect(r.p).toBeCloseTo(0.172031, 5);
  });

  it('agrees with brute-force pair counting on seeded samples (values in shared buckets tie)', () => {
    const rng = seeded(7);
    const x = bucketsOfUs(Array.from({ length: 400 }, () => 1000 + Math.floor(rng() * 30_000)));
    const y = bucketsOfUs(Array.from({ length: 300 }, () => 1200 + Math.floor(rng() * 30_000)));
    const xs = expand(x);
    const ys = expand(y);
    let u = 0;
    for (const b of ys) for (const a of xs) u += b > a ? 1 : b === a ? 0.5 : 0;
    expect(mannWhitney(x, y).u).toBe(u);
  });
});

describe('Hodges–Lehmann shift on buckets', () => {
  it('is the median of pairwise differences', () => {
    const x = bucketsOfUs([100, 200, 300]);
    const y = bucketsOfUs([200, 400, 700]);
    const sel = pairDifferenceSelector(weighted(x), weighted(y));
    // differences: -100, 0, 100, 100, 200, 300, 400, 500, 600 (µs)
    expect([1, 2, 3, 4, 5, 9].map(sel)).toEqual([-100, 0, 100, 100, 200, 600]);
    const hl = hodgesLehmann(x, y, mannWhitney(x, y).sigma)!;
    expect(hl.shiftMs).toBe(0.2);
  });

  it('selects the same order statistics as sorting all differences', () => {
    const rng = seeded(11);
    const x = bucketsOfUs(Array.from({ length: 250 }, () => 500 + Math.floor(rng() * 60_000)));
    const y = bucketsOfUs(Array.from({ length: 200 }, () => 9000 + Math.floor(rng() * 60_000)));
    const diffs: number[] = [];
    for (const b of expand(y)) for (const a of expand(x)) diffs.push(b - a);
    diffs.sort((a, b) => a - b);
    const sel = pairDifferenceSelector(weighted(x), weighted(y));
    for (const k of [1, 17, 1000, 25_000, 25_001, 49_999, 50_000]) expect(sel(k)).toBe(diffs[k - 1]);
    const mw = mannWhitney(x, y);
    const hl = hodgesLehmann(x, y, mw.sigma)!;
    expect(hl.shiftMs).toBe((diffs[24_999]! + diffs[25_000]!) / 2 / 1000);
    const c = Math.floor(25_000 - 1.959963984540054 * mw.sigma);
    expect(hl.lowMs).toBe(diffs[c - 1]! / 1000);
    expect(hl.highMs).toBe(diffs[50_000 - c]! / 1000);
  });
});

describe('two-proportion z test', () => {
  it('matches the pooled formula', () => {
    const r = twoProportion(10, 1000, 25, 1000);
    const se = Math.sqrt(0.0175 * 0.9825 * (2 / 1000));
    expect(r.z).toBeCloseTo(0.015 / se, 10);
    expect(r.p).toBeCloseTo(0.010528, 5);
    expect(twoProportion(0, 1000, 0, 1000)).toEqual({ baselineRate: 0, candidateRate: 0, z: 0, p: 1 });
  });
});
