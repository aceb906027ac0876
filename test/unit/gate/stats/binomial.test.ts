import { describe, expect, it } from 'vitest';
import { binomialCdf, logGamma } from '../../../../lib/gate/stats/binomial.js';

/** Reference: pmf by the multiplicative recurrence from P(0) = (1 − p)^n, summed. */
function referenceCdf(n: number, p: number, k: number): number {
  // Above p = 0.5 use the mirror image, so (1 − p)^n does not underflow.
  if (p > 0.5) return 1 - referenceCdf(n, 1 - p, n - k - 1);
  let pmf = (1 - p) ** n;
  let acc = pmf;
  for (let i = 0; i < k; i++) {
    pmf *= ((n - i) / (i + 1)) * (p / (1 - p));
    acc += pmf;
  }
  return acc;
}

describe('binomialCdf', () => {
  it('is exact on small cases', () => {
    const c = binomialCdf(10, 0.5);
    expect(c(-1)).toBe(0);
    expect(c(0)).toBeCloseTo(1 / 1024, 14);
    expect(c(4)).toBeCloseTo(386 / 1024, 14);
    expect(c(10)).toBe(1);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
  });

  it('matches the direct sum for n = 200 and n = 1000', () => {
    for (const [n, p] of [[200, 0.3], [1000, 0.5], [1000, 0.95], [1000, 0.99]] as const) {
      const c = binomialCdf(n, p);
      for (const k of [Math.floor(n * p) - 20, Math.floor(n * p), Math.floor(n * p) + 5]) {
        expect(c(k)).toBeCloseTo(referenceCdf(n, p, k), 10);
      }
    }
  });
});
