// How much more a share varies than independent requests would make it: the overdispersion φ of the events, measured
// on batches of consecutive seconds. A slow second slows many requests at once and errors come in bursts, so one
// request is worth less than one independent draw; dividing the counts by φ before the mixture
// (lib/gate/sequential/mixture.ts) treats n requests as n/φ independent ones (Kish's design effect; the quasi-binomial
// scaling of McCullagh & Nelder). Batches of several seconds take in the correlation between neighbouring seconds
// (an AR(1) offset, a burst that lasts); φ is the batches' Pearson χ² over its degrees of freedom, raised to its 97.5 %
// upper bound so that a lucky few batches cannot make the sequence narrower than the data allow, and never below 1.
// Memory longer than the batches shows only in longer batches, so every doubling of the batch length counts as soon
// as the run holds three of them, and φ is not trusted before it has been measured at two lengths (a run that has
// lasted less than twice its memory looks the same as one without memory: bench/sequential shows what that costs).

import { normalQuantile } from '../stats/normal.js';

/** Seconds per batch: longer than the memory of the correlation between seconds it must take in. */
export const DEFAULT_BATCH_S = 10;
/** Batches a batch length needs before its φ counts: the χ² bound needs two degrees of freedom to be finite. */
export const MIN_BATCHES = 3;
/** Batch lengths φ must have been measured at before it is trusted (the shortest and its double). */
export const MIN_SCALES = 2;
/** The confidence of φ's upper bound. */
const DISPERSION_LEVEL = 0.975;

/** The first second (of the judged seconds) at which φ, and so a decision of the sequence, can exist. */
export function firstDecisionS(batchS: number): number {
  return MIN_BATCHES * batchS * 2 ** (MIN_SCALES - 1);
}

export interface Batch {
  readonly requests: number;
  readonly events: number;
}

/** The lower `p` quantile of χ² with `df` degrees of freedom (Wilson–Hilferty; it errs low at small df, which only
 *  makes φ's bound wider). */
export function chiSquareQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  const c = 2 / (9 * df);
  return df * Math.max(0, 1 - c + z * Math.sqrt(c)) ** 3;
}

/** φ's upper bound from complete batches; undefined until there are MIN_BATCHES with requests. */
export function dispersionBound(batches: readonly Batch[], minBatches = MIN_BATCHES): number | undefined {
  const used = batches.filter((b) => b.requests > 0);
  if (used.length < minBatches) return undefined;
  let n = 0;
  let k = 0;
  for (const b of used) {
    n += b.requests;
    k += b.events;
  }
  const p = k / n;
  // No event (or nothing but events) yet: nothing to show that they cluster.
  if (p === 0 || p === 1) return 1;
  let x2 = 0;
  for (const b of used) x2 += (b.events - p * b.requests) ** 2 / (p * (1 - p) * b.requests);
  const df = used.length - 1;
  const q = chiSquareQuantile(1 - DISPERSION_LEVEL, df);
  return q > 0 ? Math.max(1, x2 / q) : Infinity;
}

/** φ's upper bound from per-second counts, on batches of `batchS` seconds and of every doubling of it that already
 *  has MIN_BATCHES batches, the largest of them: longer batches take in longer memory as the run grows (a spell of
 *  slow seconds longer than the short batches raises the long batches' dispersion). Undefined until MIN_SCALES
 *  lengths have MIN_BATCHES batches. */
export function multiScaleDispersion(seconds: readonly Batch[], batchS: number): number | undefined {
  if (seconds.length < firstDecisionS(batchS)) return undefined;
  let phi: number | undefined;
  for (let b = batchS; Math.floor(seconds.length / b) >= MIN_BATCHES; b *= 2) {
    const batches: Batch[] = [];
    for (let i = 0; i + b <= seconds.length; i += b) {
      let requests = 0;
      let events = 0;
      for (let j = i; j < i + b; j++) {
        requests += seconds[j]!.requests;
        events += seconds[j]!.events;
      }
      batches.push({ requests, events });
    }
    const d = dispersionBound(batches);
    if (d !== undefined) phi = Math.max(phi ?? 1, d);
  }
  return phi;
}
