// The binomial CDF, exact (log-space pmf summed over the window that holds all but a negligible mass): the ranks
// of distribution-free percentile intervals come from it.

import { gammaln } from 'simple-statistics';

/** ln Γ(x) for x > 0: simple-statistics' gammaln (one definition for the whole toolkit). */
export const logGamma: (x: number) => number = gammaln;

/** P(X ≤ k) for every k, X ~ Binomial(n, p): `cdf(k)` reads it in O(1) after an O(window) build. */
export interface BinomialCdf {
  (k: number): number;
}

export function binomialCdf(n: number, p: number): BinomialCdf {
  if (!(p > 0 && p < 1) || !Number.isInteger(n) || n < 0) throw new RangeError(`binomialCdf(${n}, ${p})`);
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  // Beyond 40 standard deviations (and 60 steps) the mass is far below double precision.
  const lo = Math.max(0, Math.floor(mean - 40 * sd - 60));
  const hi = Math.min(n, Math.ceil(mean + 40 * sd + 60));
  const cum = new Float64Array(hi - lo + 1);
  const logRatio = Math.log(p / (1 - p));
  let logPmf = logGamma(n + 1) - logGamma(lo + 1) - logGamma(n - lo + 1) + lo * Math.log(p) + (n - lo) * Math.log1p(-p);
  let acc = 0;
  for (let k = lo; k <= hi; k++) {
    acc += Math.exp(logPmf);
    cum[k - lo] = acc;
    logPmf += Math.log((n - k) / (k + 1)) + logRatio;
  }
  return (k: number) => (k < lo ? 0 : k >= hi ? 1 : Math.min(1, cum[k - lo]!));
}
