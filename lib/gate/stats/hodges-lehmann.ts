// Hodges–Lehmann shift (median of all candidate − baseline differences) and its Moses/Lehmann confidence interval,
// on histogram buckets. The k-th smallest of the m·n differences is found by binary search over whole microseconds,
// counting pairs below a value with two pointers: O((Bx + By) · log range), never O(m·n) nor O(B²).

import type { Bucket } from '../../histogram.js';
import type { Milliseconds } from '../../units.js';
import { normalQuantile } from './normal.js';
import { total, weighted, type WeightedValue } from './rank-samples.js';

/** Number of pairs (x, y) with y − x ≤ d, weighted by counts. Both inputs ascending. */
function pairsAtOrBelow(x: readonly WeightedValue[], y: readonly WeightedValue[], d: number, suffix: Float64Array): number {
  let count = 0;
  let i = 0;
  for (const w of y) {
    const threshold = w.us - d; // need x ≥ threshold
    while (i < x.length && x[i]!.us < threshold) i++;
    count += w.count * suffix[i]!;
  }
  return count;
}

/** A selector of the k-th smallest (1-based) pairwise difference y − x, in microseconds. */
export function pairDifferenceSelector(x: readonly WeightedValue[], y: readonly WeightedValue[]): (k: number) => number {
  const suffix = new Float64Array(x.length + 1);
  for (let i = x.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + x[i]!.count;
  const lo0 = y[0]!.us - x.at(-1)!.us;
  const hi0 = y.at(-1)!.us - x[0]!.us;
  return (k: number) => {
    let lo = lo0;
    let hi = hi0;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (pairsAtOrBelow(x, y, mid, suffix) >= k) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export interface HodgesLehmann {
  /** Estimated shift candidate − baseline, ms (positive: the candidate is slower). */
  readonly shiftMs: Milliseconds;
  readonly lowMs: Milliseconds;
  readonly highMs: Milliseconds;
}

/** HL shift and its `level` interval: ranks mn/2 ∓ z·σ_U (tie-corrected σ, as the U test uses). */
export function hodgesLehmann(
  baseline: readonly Bucket[],
  candidate: readonly Bucket[],
  sigmaU: number,
  level = 0.95,
): HodgesLehmann | undefined {
  const x = weighted(baseline);
  const y = weighted(candidate);
  if (x.length === 0 || y.length === 0) return undefined;
  const N = total(x) * total(y);
  const kth = pairDifferenceSelector(x, y);
  const median = N % 2 === 1 ? kth((N + 1) / 2) : (kth(N / 2) + kth(N / 2 + 1)) / 2;
  const z = normalQuantile(1 - (1 - level) / 2);
  const c = Math.max(1, Math.floor(N / 2 - z * sigmaU));
  return { shiftMs: median / 1000, lowMs: kth(c) / 1000, highMs: kth(Math.max(c, N + 1 - c)) / 1000 };
}
