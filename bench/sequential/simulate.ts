// The runs the sequential gate's benchmark monitors: per-second request, slow-request and error counts of a
// simulated load test, with the dependence real runs have. Latency: each request's log-latency is the second's
// log-median plus independent noise; the log-median carries an AR(1) offset (a slow second slows every request
// in it, and slow seconds come in spells). Errors: each second's error probability is the base rate times a
// log-normal AR(1) multiplier (bursts), mean one, so the run's share of errors is exactly the base rate. A regime
// switch adds a second kind of memory: spells (a minute on average) in which every request is slower and errors
// more frequent, entered and left as a two-state Markov chain, with the run's shares still exactly the base rates.

import { normalCdf, normalQuantile } from '../../lib/gate/stats/normal.js';

export interface Dependence {
  /** AR(1) coefficient of the latency offset from one second to the next (0: seconds independent). */
  readonly latencyRho: number;
  /** Stationary standard deviation of the offset of ln(median latency) (0: no offset at all). */
  readonly latencySd: number;
  readonly errorRho: number;
  /** Standard deviation of the log of the error-rate multiplier (0: independent errors). */
  readonly errorSd: number;
  /** Slow spells on top of the AR(1) offset (none when absent). */
  readonly regime?: Regime;
}

export interface Regime {
  /** Mean length of a slow spell, seconds. */
  readonly meanS: number;
  /** Share of the run's seconds in a slow spell. */
  readonly fraction: number;
  /** What a slow spell adds to ln(median latency). */
  readonly latencyShift: number;
  /** How many times more often requests fail in a slow spell than outside one. */
  readonly errorFactor: number;
}

export const INDEPENDENT: Dependence = { latencyRho: 0, latencySd: 0, errorRho: 0, errorSd: 0 };

export interface RunSpec {
  readonly seconds: number;
  readonly requestsPerS: number;
  /** The requests' log-latency spread within a second. */
  readonly withinSd: number;
  /** The true share of requests at or above the latency threshold, over the whole (stationary) run. */
  readonly slowShare: number;
  /** The true share of failed requests. */
  readonly errorShare: number;
  readonly dependence: Dependence;
}

/** One second: requests, those at or above the threshold, failed ones. */
export interface SimSecond {
  readonly requests: number;
  readonly slow: number;
  readonly errors: number;
}

function gaussian(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Binomial(n, p) by inversion: the mean number of steps is n·p, small at the shares a gate judges. */
export function binomial(rng: () => number, n: number, p: number): number {
  if (p <= 0 || n === 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  const q = 1 - p;
  const r = p / q;
  let pmf = Math.pow(q, n);
  if (pmf === 0) return Math.round(n * p + Math.sqrt(n * p * q) * gaussian(rng));
  let u = rng();
  let k = 0;
  while (u > pmf && k < n) {
    u -= pmf;
    pmf *= (r * (n - k)) / (k + 1);
    k++;
  }
  return k;
}

/** A generator of one run's seconds. The latency threshold sits where the stationary share of slow requests is
 *  `slowShare`: ln T − μ = z · √(within² + offset²) with μ = 0. */
export function simulateRun(spec: RunSpec, rng: () => number): () => SimSecond {
  const d = spec.dependence;
  const total = Math.sqrt(spec.withinSd ** 2 + d.latencySd ** 2);
  const r = d.regime;
  const logT = r === undefined ? normalQuantile(1 - spec.slowShare) * total : regimeThreshold(spec.slowShare, total, r);
  // Error multipliers in and out of a spell, scaled so that their mean over the run is one.
  const errNorm = r === undefined ? 1 : r.fraction * r.errorFactor + 1 - r.fraction;
  const enter = r === undefined ? 0 : r.fraction / (1 - r.fraction) / r.meanS;
  let slowSpell = r !== undefined && rng() < r.fraction;
  const latInnov = d.latencySd * Math.sqrt(1 - d.latencyRho ** 2);
  const errInnov = Math.sqrt(1 - d.errorRho ** 2);
  let offset = d.latencySd * gaussian(rng);
  let errZ = gaussian(rng);
  const sdRate = Math.sqrt(spec.requestsPerS);
  return () => {
    offset = d.latencyRho * offset + latInnov * gaussian(rng);
    errZ = d.errorRho * errZ + errInnov * gaussian(rng);
    if (r !== undefined) slowSpell = slowSpell ? rng() >= 1 / r.meanS : rng() < enter;
    const shift = slowSpell ? r!.latencyShift : 0;
    const errFactor = (slowSpell ? r!.errorFactor : 1) / errNorm;
    const n = Math.max(0, Math.round(spec.requestsPerS + sdRate * gaussian(rng)));
    const pSlow = 1 - normalCdf((logT - offset - shift) / spec.withinSd);
    const pErr = Math.min(1, spec.errorShare * errFactor * Math.exp(d.errorSd * errZ - (d.errorSd * d.errorSd) / 2));
    return { requests: n, slow: binomial(rng, n, pSlow), errors: binomial(rng, n, pErr) };
  };
}

/** ln T such that the run's share of requests at or above T is `share`: a mixture of the spells' share and the
 *  rest's, found by bisection (the share falls as T grows). */
function regimeThreshold(share: number, total: number, r: Regime): number {
  const at = (logT: number) => r.fraction * (1 - normalCdf((logT - r.latencyShift) / total)) + (1 - r.fraction) * (1 - normalCdf(logT / total));
  let lo = -10;
  let hi = 10 + r.latencyShift;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) > share) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The share of requests slower than a latency that is `ratio` times the run's P95 (a P95 at a tenth of the
 *  target is ratio 10): what "P95 at x × the target" means for the share the gate judges. */
export function shareAtRatio(ratio: number, withinSd: number, dependence: Dependence): number {
  const total = Math.sqrt(withinSd ** 2 + dependence.latencySd ** 2);
  return 1 - normalCdf(normalQuantile(0.95) + Math.log(ratio) / total);
}
