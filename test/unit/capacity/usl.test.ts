import { describe, expect, it } from 'vitest';
import { fitUsl, uslResponseTime, uslThroughput, type UslCoefficients, type UslPoint } from '../../../lib/capacity/usl.js';

const gen = (c: UslCoefficients, ns: number[]): UslPoint[] => ns.map((n) => ({ n, x: uslThroughput(c, n) }));

describe('fitUsl', () => {
  it('reproduces the SPEC SDM91 reference fit (R package usl)', () => {
    const N = [1, 18, 36, 72, 108, 144, 216];
    const X = [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2];
    const fit = fitUsl(N.map((n, i) => ({ n, x: X[i]! })));
    expect(fit.model).toBe('usl');
    expect(fit.sigma).toBeCloseTo(0.02773, 5);
    expect(fit.kappa).toBeCloseTo(0.0001044, 7);
    expect(fit.lambda).toBeCloseTo(89.995, 2);
    expect(fit.peakConcurrency!).toBeCloseTo(96.5, 1);
    expect(fit.maxThroughput!).toBeCloseTo(1883.9, 1);
    expect(fit.rSquared).toBeCloseTo(0.98956, 4);
    expect(fit.note).toBeNull();
  });

  it('recovers a retrograde curve generated from known coefficients', () => {
    const truth = { sigma: 0.1, kappa: 0.001, lambda: 20 };
    const fit = fitUsl(gen(truth, [1, 5, 10, 20, 40, 80, 160]));
    expect(fit.model).toBe('usl');
    expect(fit.sigma).toBeCloseTo(0.1, 8);
    expect(fit.kappa).toBeCloseTo(0.001, 10);
    expect(fit.lambda).toBeCloseTo(20, 6);
    expect(fit.peakConcurrency!).toBeCloseTo(30, 5);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('fits linear scaling with σ = κ = 0 and no peak', () => {
    const fit = fitUsl(gen({ sigma: 0, kappa: 0, lambda: 10 }, [1, 2, 4, 8, 16, 32]));
    expect(fit.model).toBe('linear');
    expect(fit.sigma).toBe(0);
    expect(fit.kappa).toBe(0);
    expect(fit.lambda).toBeCloseTo(10, 9);
    expect(fit.peakConcurrency).toBeNull();
    expect(fit.maxThroughput).toBeNull();
  });

  it('puts κ exactly at its bound 0 for pure contention (Amdahl) and reports the asymptote', () => {
    const fit = fitUsl(gen({ sigma: 0.05, kappa: 0, lambda: 5 }, [1, 4, 16, 32, 64, 128]));
    expect(fit.model).toBe('amdahl');
    expect(fit.kappa).toBe(0);
    expect(fit.sigma).toBeCloseTo(0.05, 9);
    expect(fit.lambda).toBeCloseTo(5, 8);
    expect(fit.peakConcurrency).toBeNull();
    expect(fit.maxThroughput!).toBeCloseTo(100, 6);
  });

  it('keeps the bounds when the unconstrained optimum leaves them (superlinear data)', () => {
    // X grows faster than linear: the unbounded fit wants σ < 0; the bounded optimum is on σ = 0.
    const pts = [1, 2, 4, 8, 16].map((n) => ({ n, x: 10 * n ** 1.1 }));
    const fit = fitUsl(pts);
    expect(fit.sigma).toBe(0);
    expect(fit.kappa).toBe(0);
    // Optimality on the feasible set: no nearby feasible point does better.
    const sse = (c: UslCoefficients) => pts.reduce((s, p) => s + (p.x - uslThroughput(c, p.n)) ** 2, 0);
    for (const d of [1e-4, 1e-3, 1e-2]) {
      expect(sse({ sigma: 0, kappa: 0, lambda: fit.lambda * (1 + d) })).toBeGreaterThan(fit.sse);
      expect(sse({ sigma: 0, kappa: 0, lambda: fit.lambda * (1 - d) })).toBeGreaterThan(fit.sse);
      expect(sse({ sigma: d, kappa: 0, lambda: fit.lambda })).toBeGreaterThan(fit.sse);
    }
  });

  it('stays close on noisy data (±3% alternating) from known coefficients', () => {
    const truth = { sigma: 0.03, kappa: 0.0002, lambda: 50 };
    const pts = gen(truth, [1, 10, 25, 50, 75, 100, 150, 200]).map((p, i) => ({ n: p.n, x: p.x * (i % 2 ? 1.03 : 0.97) }));
    const fit = fitUsl(pts);
    expect(fit.model).toBe('usl');
    expect(Math.abs(fit.peakConcurrency! - 69.6) / 69.6).toBeLessThan(0.15);
    expect(fit.rSquared).toBeGreaterThan(0.98);
  });

  it('falls back to Amdahl with two levels, and says so', () => {
    const fit = fitUsl(gen({ sigma: 0.05, kappa: 0, lambda: 5 }, [10, 20]));
    expect(fit.model).toBe('amdahl');
    expect(fit.kappa).toBe(0);
    expect(fit.sigma).toBeCloseTo(0.05, 8);
    expect(fit.note).toMatch(/two load levels: κ fixed at 0/);
  });

  it('falls back to a line through the origin with one level', () => {
    const fit = fitUsl([{ n: 20, x: 60 }]);
    expect(fit).toMatchObject({ model: 'linear', sigma: 0, kappa: 0, lambda: 3, peakConcurrency: null });
    expect(fit.note).toMatch(/one load level/);
  });

  it('says when there is nothing to fit', () => {
    expect(fitUsl([]).model).toBe('none');
    expect(fitUsl([{ n: 5, x: 0 }]).model).toBe('none');
  });

  it('notes that three levels fit three parameters almost exactly', () => {
    const fit = fitUsl(gen({ sigma: 0.1, kappa: 0.001, lambda: 20 }, [25, 50, 100]));
    expect(fit.note).toMatch(/three load levels/);
  });
});

describe('USL predictions', () => {
  it('gives response time R = N/X − Z', () => {
    const c = { sigma: 0, kappa: 0, lambda: 0.25 };
    // X(40) = 10/s; R = 40/10 − 3 = 1 s.
    expect(uslResponseTime(c, 40, 3)).toBeCloseTo(1, 12);
    expect(uslResponseTime(c, 40, 5)).toBeNull();
  });
});
