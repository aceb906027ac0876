// Student's t distribution for prediction intervals: CDF and quantile from stdlib (simple-statistics has neither),
// with the argument checks our callers rely on (a RangeError, not a NaN).

import studentTCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import studentTQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  return studentTCdfImpl(t, df);
}

/** The t with P(T ≤ t) = p (e.g. p = 0.975, df = 10 → 2.228). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  return studentTQuantileImpl(p, df);
}
