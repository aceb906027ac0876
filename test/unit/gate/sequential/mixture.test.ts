import { describe, expect, it } from 'vitest';
import { logMixture, mixtureInterval } from '../../../../lib/gate/sequential/mixture.js';

// Reference values computed independently of this code and of simple-statistics' ln Γ:
// - ln M in closed form, B(½+k, ½+n−k) / B(½, ½) / (p0^k (1−p0)^(n−k)), with mpmath 1.3.0's loggamma at 30 digits;
//   for k = 2, n = 5 it is also the rational (½·³⁄₂)(½·³⁄₂·⁵⁄₂)/5! = 3/256 over 0.3²·0.7³.
// - the intervals by integrating the mixture numerically over p (mpmath.quad, Jeffreys density) and bisecting
//   ln M = ln 20 (mixture-reference.py beside this file).
describe('the beta-binomial mixture martingale (Jeffreys prior)', () => {
  it('ln M matches the closed form at 30 digits', () => {
    expect(logMixture(2, 5, 0.3)).toBeCloseTo(-0.96859471534338366, 13);
    expect(logMixture(2, 5, 0.3)).toBeCloseTo(Math.log(3 / 256) - 2 * Math.log(0.3) - 3 * Math.log(0.7), 13);
    expect(logMixture(3, 40, 0.05)).toBeCloseTo(-1.8575720623701745, 13);
    expect(logMixture(0, 100, 0.05)).toBeCloseTo(2.2531294080444847, 12);
    expect(logMixture(1200, 20000, 0.05)).toBeCloseTo(14.66463650453878, 9);
  });

  it('its interval at level 95 % matches the numerically integrated mixture', () => {
    const a = mixtureInterval(3, 40, 0.05);
    expect(a.lower).toBeCloseTo(0.00564916758745381, 12);
    expect(a.upper).toBeCloseTo(0.274171812645384, 12);
    const b = mixtureInterval(0, 100, 0.05);
    expect(b.lower).toBe(0);
    expect(b.upper).toBeCloseTo(0.0570285976387896, 12);
    const c = mixtureInterval(12, 200, 0.05);
    expect(c.lower).toBeCloseTo(0.0187698815336448, 12);
    expect(c.upper).toBeCloseTo(0.134794987029784, 12);
  });

  it('the upper bound with no events solves −n ln(1 − p) = ln 20 − ln(Γ(n + ½) / (Γ(½) Γ(n + 1))) exactly', () => {
    // n = 100: ln(Γ(100.5)/(Γ(½)Γ(101))) = −2.8762000307105687 by mpmath; the bound is 1 − exp(−(ln 20 + 2.87620…) / 100).
    const c = Math.log(20) + 2.8762000307105687;
    expect(mixtureInterval(0, 100, 0.05).upper).toBeCloseTo(1 - Math.exp(-c / 100), 12);
  });

  it('is the whole unit interval before any request and narrows as requests come', () => {
    expect(mixtureInterval(0, 0, 0.05)).toEqual({ lower: 0, upper: 1 });
    const widths = [100, 1000, 10000].map((n) => {
      const i = mixtureInterval(n * 0.05, n, 0.05);
      return i.upper - i.lower;
    });
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expect(widths[1]).toBeGreaterThan(widths[2]!);
  });

  it('refuses counts that are not a share', () => {
    expect(() => mixtureInterval(5, 4, 0.05)).toThrow(RangeError);
    expect(() => logMixture(1, 2, 0)).toThrow(RangeError);
  });
});
