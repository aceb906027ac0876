import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, twoSidedP } from '../../../../lib/gate/stats/normal.js';

describe('normal', () => {
  it('matches reference values of the standard normal', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 7);
    expect(twoSidedP(2.5758293035489)).toBeCloseTo(0.01, 7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('keeps the hand-written quantile (Acklam) pinned to published quantiles, tails included', () => {
    // Φ⁻¹ to 15 digits (Abramowitz & Stegun table 26.5 / R qnorm): 0.995, 0.9999, 1e-6.
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 8);
    expect(normalQuantile(0.9999)).toBeCloseTo(3.719016485455709, 8);
    // Acklam's relative error is 1.2e-9: 7 decimals at 4.75.
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 7);
    expect(normalQuantile(0.5)).toBe(0);
  });
});
