// The binomial CDF, exact (log-space pmf summed over the window that holds all but a negligible mass): the ranks
// of distribution-free percentile intervals come from it.

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
export function logGamma(x: number): number {
  const g = 7;
  const coef = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let a = coef[0]!;
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += coef[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

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
