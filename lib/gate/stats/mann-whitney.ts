// Mann–Whitney U test on histogram buckets (samples in one bucket are ties, given mid-ranks), with the tie-corrected
// normal approximation: O(buckets), whatever the number of requests.

import type { Bucket } from '../../histogram.js';
import { twoSidedP } from './normal.js';
import { total, weighted } from './rank-samples.js';

export interface MannWhitney {
  /** Baseline and candidate sample sizes. */
  readonly m: number;
  readonly n: number;
  /** U of the candidate: pairs where the candidate is slower, ties counting one half. */
  readonly u: number;
  /** Standard deviation of U under H0, tie-corrected. */
  readonly sigma: number;
  /** (U − mn/2) / σ with a continuity correction; > 0 means the candidate tends to be slower. */
  readonly z: number;
  /** Two-sided p-value. */
  readonly p: number;
}

export function mannWhitney(baseline: readonly Bucket[], candidate: readonly Bucket[]): MannWhitney {
  const x = weighted(baseline);
  const y = weighted(candidate);
  const m = total(x);
  const n = total(y);
  const N = m + n;
  let i = 0;
  let j = 0;
  let below = 0; // samples (both groups) with smaller values
  let rankSumY = 0;
  let tieTerm = 0;
  while (i < x.length || j < y.length) {
    const v = Math.min(x[i]?.us ?? Infinity, y[j]?.us ?? Infinity);
    const a = x[i]?.us === v ? x[i++]!.count : 0;
    const b = y[j]?.us === v ? y[j++]!.count : 0;
    const t = a + b;
    rankSumY += b * (below + (t + 1) / 2);
    tieTerm += t * t * t - t;
    below += t;
  }
  const u = rankSumY - (n * (n + 1)) / 2;
  const variance = N > 1 ? ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1))) : 0;
  const sigma = Math.sqrt(Math.max(0, variance));
  const diff = u - (m * n) / 2;
  const z = sigma === 0 ? 0 : (Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5)) / sigma;
  return { m, n, u, sigma, z, p: sigma === 0 ? 1 : twoSidedP(z) };
}
