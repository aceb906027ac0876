// The one histogram module: every latency histogram is created, recorded, encoded, decoded and merged here.
// Values are recorded in microseconds (integers) with 3 significant digits, and read back in milliseconds.

import * as hdr from 'hdr-histogram-js';
import { createRequire } from 'node:module';
import type { Milliseconds } from './units.js';

export type Histogram = hdr.Histogram;

interface IterationValue {
  valueIteratedTo: number;
  countAddedInThisIterationStep: number;
}
// The iterator is not re-exported by the package index, and is CommonJS: require it, whatever the ESM interop.
const RecordedValuesIterator = (
  createRequire(import.meta.url)('hdr-histogram-js/dist/RecordedValuesIterator.js') as {
    default: new (h: Histogram) => { hasNext(): boolean; next(): IterationValue };
  }
).default;

/** One hour in microseconds: the largest latency we track (k6's own request timeout default is 60 s). */
const HIGHEST_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
  });
}

/** Records one latency in milliseconds (k6's unit for http_req_duration). Negative values are clamped to 0. */
export function recordMs(h: Histogram, ms: number, count = 1): void {
  const us = Math.round(Math.max(0, ms) * 1000);
  h.recordValueWithCount(Math.min(us, HIGHEST_US), count);
}

/** The exact fastest and slowest values, when the caller tracked them (the histogram only holds them to 3 digits). */
export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/**
 * The one percentile definition of the toolkit, k6's (its Trend sink and end-of-test summary): the order statistics
 * x(0) ≤ … ≤ x(n−1) interpolated linearly at rank p·(n−1). The histogram holds each order statistic to 3
 * significant digits (the middle of its bucket), x(0) and x(n−1) exactly when `bounds` are given; the result is
 * clamped to [min, max]. `percentile` is 0–100; 0 for an empty histogram. analyze, gate and report all use it.
 */
export function percentileMs(h: Histogram, percentile: number, bounds?: Bounds): Milliseconds {
  return percentilesMs(h, [percentile], bounds)[0]!;
}

/** Several `percentileMs` of one histogram in one scan of its counts (the timeline asks three of every second). */
export function percentilesMs(h: Histogram, percentiles: readonly number[], bounds?: Bounds): Milliseconds[] {
  const n = h.totalCount;
  if (n === 0) return percentiles.map(() => 0 as Milliseconds);
  const min = bounds?.min ?? minMs(h);
  const max = bounds?.max ?? maxMs(h);
  const ranks = percentiles.map((p) => (Math.min(100, Math.max(0, p)) / 100) * (n - 1));
  // The order statistics needed (0-based), ascending, each read once.
  const want = [...new Set(ranks.flatMap((r) => [Math.floor(r), Math.ceil(r)]))].sort((a, b) => a - b);
  const at = new Map<number, number>();
  const raw = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number; valueFromIndex(i: number): number; medianEquivalentValue(v: number): number };
  let k = 0;
  let seen = 0;
  for (let i = 0; i < raw.countsArrayLength && k < want.length; i++) {
    const c = raw.getCountAtIndex(i);
    if (c === 0) continue;
    seen += c;
    while (k < want.length && seen > want[k]!) {
      const r = want[k++]!;
      at.set(r, r === 0 ? min : r === n - 1 ? max : raw.medianEquivalentValue(raw.valueFromIndex(i)) / 1000);
    }
  }
  return ranks.map((rank) => {
    const lo = Math.floor(rank);
    const x = at.get(lo) ?? max;
    const y = at.get(Math.ceil(rank)) ?? max;
    return Math.min(max, Math.max(min, x + (y - x) * (rank - lo))) as Milliseconds;
  });
}

/** `percentileMs` over buckets (several histograms merged, or already iterated). */
export function percentileOfBuckets(bs: readonly Bucket[], percentile: number, bounds?: Bounds): Milliseconds {
  let n = 0;
  for (const b of bs) n += b.count;
  if (n === 0) return 0 as Milliseconds;
  const min = bounds?.min ?? bs[0]!.lowMs;
  const max = bounds?.max ?? bs[bs.length - 1]!.valueMs;
  const rank = (Math.min(100, Math.max(0, percentile)) / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const at = (r: number): number => {
    if (r === 0) return min;
    if (r === n - 1) return max;
    let seen = 0;
    for (const b of bs) {
      seen += b.count;
      if (seen > r) return b.midMs;
    }
    return max;
  };
  const x = at(lo);
  const v = hi === lo ? x : x + (at(hi) - x) * (rank - lo);
  return Math.min(max, Math.max(min, v)) as Milliseconds;
}

export function minMs(h: Histogram): Milliseconds {
  return (h.totalCount === 0 ? 0 : h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue / 1000) as Milliseconds;
}

export function maxMs(h: Histogram): Milliseconds {
  return (h.totalCount === 0 ? 0 : h.maxValue / 1000) as Milliseconds;
}

export function meanMs(h: Histogram): Milliseconds {
  return (h.totalCount === 0 ? 0 : h.mean / 1000) as Milliseconds;
}

/** Compressed base64 (the HdrHistogram interchange encoding), as stored in result.json. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): Histogram {
  const h = hdr.decodeFromCompressedBase64(base64, 32, false);
  h.autoResize = true;
  return h;
}

/** Merges histograms into a new one; the inputs are not changed. */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const out = createHistogram();
  for (const p of parts) out.add(p);
  return out;
}

/** One bucket of distinct recorded values: every value in it is equivalent at 3 significant digits. */
export interface Bucket {
  /** The bucket's representative value (its highest equivalent value), in milliseconds. */
  valueMs: Milliseconds;
  /** Its lowest equivalent value, in milliseconds. */
  lowMs: Milliseconds;
  /** The middle of the bucket: the best single stand-in for a value in it (what percentiles read). */
  midMs: Milliseconds;
  count: number;
}

/** The recorded buckets in increasing order of value: what rank statistics (order statistics, Mann–Whitney) work on. */
export function buckets(h: Histogram): Bucket[] {
  const out: Bucket[] = [];
  if (h.totalCount === 0) return out;
  const it = new RecordedValuesIterator(h);
  const eq = h as unknown as { lowestEquivalentValue(v: number): number; medianEquivalentValue(v: number): number };
  while (it.hasNext()) {
    const v = it.next();
    const low = eq.lowestEquivalentValue(v.valueIteratedTo);
    out.push({
      valueMs: (v.valueIteratedTo / 1000) as Milliseconds,
      lowMs: (low / 1000) as Milliseconds,
      midMs: (eq.medianEquivalentValue(v.valueIteratedTo) / 1000) as Milliseconds,
      count: v.countAddedInThisIterationStep,
    });
  }
  return out;
}

/** Recorded values at or above `ms` (`inclusive`), or above it, at the histogram's resolution: a value equivalent
 *  to `ms` at 3 significant digits counts as `ms`. A walk of the counts array from `ms` up, no bucket objects:
 *  the sequential gate asks it for every criterion every second. */
export function countAtOrAboveMs(h: Histogram, ms: number, inclusive = true): number {
  if (h.totalCount === 0) return 0;
  const raw = h as unknown as { countsArrayIndex(v: number): number; getCountAtIndex(i: number): number; maxValue: number };
  const us = Math.min(Math.round(Math.max(0, ms) * 1000), HIGHEST_US);
  if (us > raw.maxValue) return 0;
  const last = raw.countsArrayIndex(raw.maxValue);
  let n = 0;
  for (let i = raw.countsArrayIndex(us) + (inclusive ? 0 : 1); i <= last; i++) n += raw.getCountAtIndex(i);
  return n;
}
