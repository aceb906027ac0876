import { describe, expect, it } from 'vitest';
import { createHistogram, buckets, percentileMs, recordMs } from '../../../../lib/histogram.js';
import { binomialCdf } from '../../../../lib/gate/stats/binomial.js';
import { percentileRanks, percentileWithCi, valueAtRank } from '../../../../lib/gate/stats/percentile-ci.js';

describe('percentile confidence intervals (order statistics)', () => {
  it('gives the textbook ranks for the median of 100 (X(40), X(61))', () => {
    const r = percentileRanks(100, 0.5);
    expect([r.lower, r.upper]).toEqual([40, 61]);
    expect(r.coverage).toBeCloseTo(0.9648, 4);
  });

  it('chooses the tightest symmetric ranks with coverage ≥ 95 % for P95 and P99', () => {
    for (const [n, q] of [[1000, 0.95], [5000, 0.99], [300, 0.95]] as const) {
      const r = percentileRanks(n, q);
      const cdf = binomialCdf(n, q);
      expect(cdf(r.lower! - 1)).toBeLessThanOrEqual(0.025);
      expect(cdf(r.lower!)).toBeGreaterThan(0.025);
      expect(cdf(r.upper! - 1)).toBeGreaterThanOrEqual(0.975);
      expect(cdf(r.upper! - 2)).toBeLessThan(0.975);
      expect(r.coverage).toBeGreaterThanOrEqual(0.95);
    }
    expect([percentileRanks(1000, 0.95).lower, percentileRanks(1000, 0.95).upper]).toEqual([936, 964]);
  });

  it('is unbounded above when there are too few samples for the percentile', () => {
    const r = percentileRanks(20, 0.99);
    expect(r.upper).toBeNull();
    // P(B ≤ 18) = 1 − 20·0.99^19·0.01 − 0.99^20 = 0.0169 ≤ 0.025 < P(B ≤ 19) = 0.182, so l = 19
    expect(r.lower).toBe(19);
    expect(percentileRanks(0, 0.5)).toEqual({ lower: null, upper: null, coverage: 0 });
  });

  it('reads the bounds off histogram buckets', () => {
    const h = createHistogram();
    for (let us = 1; us <= 1000; us++) recordMs(h, us / 1000); // 1 µs … 1000 µs, each exact
    const bs = buckets(h);
    expect(valueAtRank(bs, 1)).toBe(0.001);
    expect(valueAtRank(bs, 1000)).toBe(1);
    const e = percentileWithCi(bs, 95)!;
    // k6's point estimate: rank 0.95·999 = 949.05 between 0.950 and 0.951; the interval stays order statistics.
    expect(e).toMatchObject({ n: 1000, low: 0.936, high: 0.964 });
    expect(e.value).toBeCloseTo(0.95005, 9);
    expect(percentileWithCi([], 95)).toBeUndefined();
  });
});

describe("the gate's point estimate is the report's", () => {
  it("never passes the run's exact max (HDR's bucket top can): 416.3 stays 416.3", () => {
    const h = createHistogram();
    for (let i = 0; i < 99; i++) recordMs(h, 100 + i);
    recordMs(h, 416.3);
    const e = percentileWithCi(buckets(h), 99.9, 0.95, { min: 100, max: 416.3 })!;
    expect(e.value).toBeLessThanOrEqual(416.3);
    expect(e.value).toBe(percentileMs(h, 99.9, { min: 100, max: 416.3 }));
  });
});
