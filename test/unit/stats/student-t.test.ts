import { describe, expect, it } from 'vitest';
import { logGamma } from '../../../lib/gate/stats/binomial.js';
import { studentTCdf, studentTQuantile } from '../../../lib/stats/student-t.js';

describe('Student t', () => {
  it.each([
    // [p, df, table value]
    [0.975, 1, 12.7062047362],
    [0.975, 2, 4.30265272975],
    [0.975, 5, 2.57058183661],
    [0.975, 10, 2.22813885196],
    [0.95, 1, 6.31375151468],
    [0.95, 3, 2.35336343480],
    [0.95, 5, 2.01504837333],
    [0.9, 3, 1.63774435],
    [0.995, 30, 2.74999565],
    [0.975, 1e7, 1.95996398],
  ])('quantile(%f, %d) = %f', (p, df, t) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(t, 6);
  });

  it('is symmetric and centred', () => {
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.22813885196, 8);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(2.22813885196, 10)).toBeCloseTo(0.975, 10);
  });

  it('has the Cauchy CDF at df = 1', () => {
    for (const t of [-3, -0.5, 0.7, 4]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
  });

  it('computes ln Γ exactly at integers and ½', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('rejects impossible arguments', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});
