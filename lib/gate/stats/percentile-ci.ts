// Distribution-free confidence intervals for percentiles from order statistics (Hahn & Meeker): the interval
// [X(l), X(u)] holds the true p-quantile with probability ≥ level, whatever the latency distribution. Ranks come
// from the binomial CDF; values are read off the histogram buckets, so it costs O(buckets), not O(requests).

import { percentileOfBuckets, type Bounds, type Bucket } from '../../histogram.js';
import type { Milliseconds } from '../../units.js';
import { binomialCdf } from './binomial.js';

export interface RankInterval {
  /** 1-based rank of the lower bound; null when even X(1) is not low enough (too few samples). */
  readonly lower: number | null;
  /** 1-based rank of the upper bound; null when even X(n) is not high enough (too few samples). */
  readonly upper: number | null;
  /** The exact coverage of [X(lower), X(upper)] (an unbounded side counts as covering). */
  readonly coverage: number;
}

/**
 * The symmetric order-statistic ranks for the `q` quantile (0 < q < 1) of n samples: the largest l with
 * P(B ≤ l−1) ≤ α/2 and the smallest u with P(B ≤ u−1) ≥ 1−α/2, B ~ Binomial(n, q).
 */
export function percentileRanks(n: number, q: number, level = 0.95): RankInterval {
  if (n <= 0) return { lower: null, upper: null, coverage: 0 };
  const tail = (1 - level) / 2;
  const cdf = binomialCdf(n, q);
  // Binary searches: cdf is non-decreasing in k.
  let a = 0;
  let b = n; // find largest k in [0, n] with cdf(k - 1) <= tail, k = l
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (cdf(mid - 1) <= tail) a = mid;
    else b = mid - 1;
  }
  const lower = a >= 1 ? a : null;
  a = 1;
  b = n + 1; // smallest u in [1, n+1] with cdf(u - 1) >= 1 - tail; n+1 means unbounded
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (cdf(mid - 1) >= 1 - tail) b = mid;
    else a = mid + 1;
  }
  const upper = a <= n ? a : null;
  const coverage = (upper === null ? 1 : cdf(upper - 1)) - (lower === null ? 0 : cdf(lower - 1));
  return { lower, upper, coverage };
}

/** The value of the r-th smallest sample (1-based) in the buckets. */
export function valueAtRank(bs: readonly Bucket[], r: number): Milliseconds {
  let seen = 0;
  for (const b of bs) {
    seen += b.count;
    if (seen >= r) return b.valueMs;
  }
  throw new RangeError(`rank ${r} beyond ${seen} samples`);
}

export interface PercentileEstimate {
  readonly n: number;
  /** k6's percentile (interpolated at rank q·(n−1), clamped to [min, max]): the same number result.json reports. */
  readonly value: Milliseconds;
  /** null: unbounded on that side with this many samples. */
  readonly low: Milliseconds | null;
  readonly high: Milliseconds | null;
}

/** Point estimate and distribution-free interval of the `percentile` (0–100) from histogram buckets. */
export function percentileWithCi(bs: readonly Bucket[], percentile: number, level = 0.95, bounds?: Bounds): PercentileEstimate | undefined {
  const n = bs.reduce((s, b) => s + b.count, 0);
  if (n === 0) return undefined;
  const q = percentile / 100;
  const ranks = percentileRanks(n, q, level);
  return {
    n,
    value: percentileOfBuckets(bs, percentile, bounds),
    low: ranks.lower === null ? null : valueAtRank(bs, ranks.lower),
    high: ranks.upper === null ? null : valueAtRank(bs, ranks.upper),
  };
}
