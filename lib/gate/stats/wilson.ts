// Wilson score interval for a proportion (error rate): well-behaved at 0 errors and small counts, unlike Wald's.

import { normalQuantile } from './normal.js';

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export function wilsonInterval(successes: number, trials: number, level = 0.95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // Rounding leaves ±1e-18 where the bound is exactly 0 or 1 (0 events): report those as 0 and 1.
  const low = centre - half < 1e-12 ? 0 : centre - half;
  const high = centre + half > 1 - 1e-12 ? 1 : centre + half;
  return { low, high };
}
