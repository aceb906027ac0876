// One k6 metric (or submetric) summarised as k6's own sink would: Trend, Counter, Rate or Gauge, in its own unit.
// Trends keep an HDR histogram (values ×1000, so milliseconds become microseconds and small integers stay exact)
// beside the exact count, sum, min and max; percentiles use the toolkit's one definition (k6's).

import { buckets, createHistogram, decodeHistogram, encodeHistogram, percentileOfBuckets, recordMs, type Histogram } from '../histogram.js';
import type { MetricSummary } from '../result/schema.js';

/** k6's metric types, as its "Metric" lines spell them; "" until the line is seen. */
export type K6MetricType = 'trend' | 'counter' | 'rate' | 'gauge' | '';

export class MetricAgg {
  count = 0;
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
    if (this.type === 'trend' || this.type === '') recordMs((this.hist ??= createHistogram()), v);
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
    const stats = trendStats(this.hist, this.count, this.sum, this.min, this.max);
    return { ...base, value: stats.p95!, stats, ...(this.hist ? { histogram: encodeHistogram(this.hist) } : {}) };
  }
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

/** A Trend's percentile at any level from its stored summary (k6 thresholds ask for any p(N)). */
export function trendPercentile(m: MetricSummary, percentile: number): number {
  const s = m.stats ?? {};
  if (!m.histogram || !(m.count > 0)) return 0;
  return percentileOfBuckets(buckets(decodeHistogram(m.histogram)), percentile, { min: s.min ?? 0, max: s.max ?? 0 });
}
