import { describe, expect, it } from 'vitest';
import { fitLinear, predictLinear } from '../../../lib/capacity/linear.js';

describe('linear model with prediction intervals', () => {
  const fit = fitLinear([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])!;

  it('fits slope, intercept, R² and residual spread', () => {
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(2.2, 12);
    expect(fit.rSquared).toBeCloseTo(0.6, 12);
    expect(fit.residualSd).toBeCloseTo(Math.sqrt(2.4 / 3), 12);
  });

  it('gives the textbook 90% prediction interval at x₀ = 6', () => {
    // s·√(1 + 1/5 + (6−3)²/10) · t(0.95, 3) = 0.894427·1.449138·2.353363 = 3.050308
    const p = predictLinear(fit, 6, 0.9);
    expect(p.value).toBeCloseTo(5.8, 12);
    expect(p.low).toBeCloseTo(2.749692362, 8);
    expect(p.high).toBeCloseTo(8.850307638, 8);
  });

  it('widens away from the data', () => {
    const near = predictLinear(fit, 3, 0.9);
    const far = predictLinear(fit, 30, 0.9);
    expect(far.high - far.low).toBeGreaterThan(near.high - near.low);
  });

  it('gives a zero-width interval on exact data', () => {
    const exact = fitLinear([10, 20, 40], [105, 110, 120])!;
    const p = predictLinear(exact, 100, 0.9);
    expect(p.value).toBeCloseTo(150, 9);
    expect(p.high - p.low).toBeCloseTo(0, 9);
  });

  it('refuses to fit fewer than 3 points or no spread in x', () => {
    expect(fitLinear([1, 2], [1, 2])).toBeNull();
    expect(fitLinear([3, 3, 3], [1, 2, 3])).toBeNull();
  });
});
