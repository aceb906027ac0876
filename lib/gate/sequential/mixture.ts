// The confidence sequence of a share: Robbins' beta-binomial mixture martingale (Robbins 1970; Howard, Ramdas,
// McAuliffe & Sekhon, Ann. Stat. 2021, §3), with the Jeffreys prior Beta(½, ½).
//
// For events k out of n trials, the likelihood of the data mixed over p ~ Beta(a, b), divided by its likelihood at
// p0, is a nonnegative martingale when the trials are Bernoulli(p0):
//     M_n(p0) = B(a + k, b + n − k) / (B(a, b) · p0^k · (1 − p0)^(n − k)).
// Ville's inequality bounds the chance it ever reaches 1/α by α, so {p0 : M_n(p0) < 1/α} covers the true share at
// every n at once, however often it is looked at. ln M is convex in p0 with its minimum at k/n, so each side is
// one root, found by bisection. Counts may be fractional: lib/gate/sequential/dispersion.ts divides them by the
// overdispersion before they come here.

import { logGamma } from '../stats/binomial.js';

/** Jeffreys' prior: mass near 0 and 1, where the shares a gate judges (5 %, 0.1 %) live. */
export const PRIOR_A = 0.5;
export const PRIOR_B = 0.5;

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);
const LOG_BETA_PRIOR = logBeta(PRIOR_A, PRIOR_B);

/** ln of the mixture's marginal likelihood, the part of ln M that does not depend on p0. */
export function logMarginal(k: number, n: number): number {
  return logBeta(PRIOR_A + k, PRIOR_B + n - k) - LOG_BETA_PRIOR;
}

/** ln M_n(p0): the evidence, in nats, that the share is not p0 (k events out of n, 0 ≤ k ≤ n). */
export function logMixture(k: number, n: number, p0: number): number {
  if (!(p0 > 0 && p0 < 1)) throw new RangeError(`logMixture: p0 must be in (0, 1), got ${p0}`);
  return logMarginal(k, n) - xlogy(k, p0) - xlogy(n - k, 1 - p0);
}

/** x·ln y with 0·ln 0 = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** The confidence sequence's interval after k events in n trials at level 1 − α: every p0 with ln M < ln(1/α). */
export function mixtureInterval(k: number, n: number, alpha: number): Interval {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`mixtureInterval: alpha must be in (0, 1), got ${alpha}`);
  if (!(n >= 0 && k >= 0 && k <= n)) throw new RangeError(`mixtureInterval: need 0 ≤ k ≤ n, got k=${k}, n=${n}`);
  if (n === 0) return { lower: 0, upper: 1 };
  const c = logMarginal(k, n);
  const level = Math.log(1 / alpha);
  const f = (p: number) => c - xlogy(k, p) - xlogy(n - k, 1 - p) - level;
  const mid = k / n;
  return {
    lower: k === 0 ? 0 : root(f, mid, 0),
    upper: k === n ? 1 : root(f, mid, 1),
  };
}

/** The edge between `inside` (f < 0) and `outside` (f ≥ 0): 60 halvings reach double precision on [0, 1]. */
function root(f: (p: number) => number, inside: number, outside: number): number {
  for (let i = 0; i < 60; i++) {
    const m = (inside + outside) / 2;
    if (f(m) < 0) inside = m;
    else outside = m;
  }
  return (inside + outside) / 2;
}
