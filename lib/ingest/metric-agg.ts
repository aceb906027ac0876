// One k6 metric (or submetric) summarised as k6's own sink would: Trend, Counter, Rate or Gauge, in its own unit.
// Trends keep an HDR histogram (values ×1000, so milliseconds become microseconds and small integers stay exact)
// beside the exact count, sum, min and max; percentiles use the toolkit's one definition (k6's).

import { buckets, createHistogram, decodeHistogram, encodeHistogram, percentileOfBuckets, recordMs, type Histogram } from '../histogram.js';
import type { MetricSummary } from '../result/schema.js';

/** k6's metric types, as its "Metric" lines spell them; "" until the line is seen. */
export type K6MetricType = 'trend' | 'counter' | 'rate' | 'gauge' | '';

/** Up to this many values a Trend keeps them all: its percentiles are then exactly k6's (custom metrics are small). */
const EXACT_VALUES = 20_000;

export class MetricAgg {
  count = 0;
  /** Every value while there are at most EXACT_VALUES; undefined past that (the histogram then answers). */
  values: number[] | undefined = [];
  sum = 0;
  min = Infinity;
  max = -Infinity;
  nonZero = 0;
  last = 0;
  hist: Histogram | undefined;

  constructor(public type: K6MetricType, public contains: string) {}

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v !== 0) this.nonZero++;
    this.last = v;
    if (this.type === 'trend' || this.type === '') {
      recordMs((this.hist ??= createHistogram()), v);
      if (this.values !== undefined) {
        if (this.values.length < EXACT_VALUES) this.values.push(v);
        else this.values = undefined;
      }
    }
  }

  /** Adds `n` samples at once of a counter (totals derived elsewhere, e.g. http_reqs from the endpoints). */
  static counter(count: number, sum: number): MetricAgg {
    const a = new MetricAgg('counter', 'default');
    a.count = count;
    a.sum = sum;
    return a;
  }

  static rate(count: number, nonZero: number): MetricAgg {
    const a = new MetricAgg('rate', 'default');
    a.count = count;
    a.nonZero = nonZero;
    return a;
  }

  /** What result.json keeps; `durationS` is the span counters' rates are per second of. */
  summary(durationS: number, thresholds?: readonly string[]): MetricSummary {
    const type = this.type || (this.hist ? 'trend' : 'unknown');
    const th = thresholds && thresholds.length ? { thresholds: [...thresholds] } : {};
    const base = { type, contains: this.contains || 'default', count: this.count, ...th };
    if (this.type === 'counter') {
      const rate = durationS > 0 ? this.sum / durationS : 0;
      return { ...base, value: this.sum, stats: { count: this.sum, rate } };
    }
    if (this.type === 'rate') {
      const rate = this.count > 0 ? this.nonZero / this.count : 0;
      return { ...base, value: rate, stats: { rate, passes: this.nonZero, fails: this.count - this.nonZero } };
    }
    if (this.type === 'gauge') {
      const n = this.count > 0;
      return { ...base, value: this.last, stats: { value: this.last, min: n ? this.min : 0, max: n ? this.max : 0 } };
    }
    const exact = this.values !== undefined && this.values.length === this.count && this.count > 0 ? [...this.values].sort((a, b) => a - b) : undefined;
    const stats = exact ? exactTrendStats(exact, this.sum) : trendStats(this.hist, this.count, this.sum, this.min, this.max);
    // Percentiles the thresholds ask for beyond the usual ones, kept as "p(N)" so they stay exact too.
    for (const t of thresholds ?? []) {
      const n = /^\s*p\(\s*(\d+(?:\.\d+)?)\s*\)/.exec(t)?.[1];
      if (n === undefined) continue;
      const q = Number(n);
      stats[`p(${q})`] = exact ? sortedPercentile(exact, q) : this.hist ? percentileOfBuckets(buckets(this.hist), q, { min: stats.min!, max: stats.max! }) : 0;
    }
    return { ...base, value: stats.p95!, stats, ...(this.hist ? { histogram: encodeHistogram(this.hist) } : {}) };
  }
}

/** k6's percentile of sorted values (its Trend sink): linear interpolation at rank p·(n−1). */
export function sortedPercentile(sorted: readonly number[], percentile: number): number {
  if (sorted.length === 0) return 0;
  const i = (Math.min(100, Math.max(0, percentile)) / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(i)]!;
  return lo + (sorted[Math.ceil(i)]! - lo) * (i - Math.floor(i));
}

function exactTrendStats(sorted: readonly number[], sum: number): Record<string, number> {
  const p = (q: number) => sortedPercentile(sorted, q);
  const med = p(50);
  return { count: sorted.length, avg: sum / sorted.length, min: sorted[0]!, max: sorted[sorted.length - 1]!, med, p50: med, p90: p(90), p95: p(95), p99: p(99) };
}

/** count, avg, min, max, p50 (med), p90, p95, p99 of a Trend. */
export function trendStats(h: Histogram | undefined, count: number, sum: number, min: number, max: number): Record<string, number> {
  if (count === 0 || h === undefined) return { count: 0, avg: 0, min: 0, max: 0, med: 0, p50: 0, p90: 0, p95: 0, p99: 0 };
  const bs = buckets(h);
  const bounds = { min, max };
  const p = (q: number) => percentileOfBuckets(bs, q, bounds);
  const med = p(50);
  return { count, avg: sum / count, min, max, med, p50: med, p90: p(90), p95: p(95), p99: p(99) };
}
