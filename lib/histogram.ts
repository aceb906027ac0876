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

/** Value at a percentile (0–100], in milliseconds. 0 for an empty histogram. */
export function percentileMs(h: Histogram, percentile: number): Milliseconds {
  if (h.totalCount === 0) return 0 as Milliseconds;
  return (h.getValueAtPercentile(percentile) / 1000) as Milliseconds;
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
  count: number;
}

/** The recorded buckets in increasing order of value: what rank statistics (order statistics, Mann–Whitney) work on. */
export function buckets(h: Histogram): Bucket[] {
  const out: Bucket[] = [];
  if (h.totalCount === 0) return out;
  const it = new RecordedValuesIterator(h);
  while (it.hasNext()) {
    const v = it.next();
    out.push({ valueMs: (v.valueIteratedTo / 1000) as Milliseconds, count: v.countAddedInThisIterationStep });
  }
  return out;
}
