// Merges the custom-metric summaries of several runners by the metric's kind (k6's counter, rate, trend, gauge).
// It merges whatever fields a summary holds, so summaries that carry more (a trend's histogram and percentiles) merge
// as exactly as their fields allow.

import { encodeHistogram, maxMs, meanMs, minMs, percentileMs, type Histogram } from '../histogram.js';
import type { RunResult } from '../result/schema.js';
import { mergeHistogramStrings } from './request-stats.js';

type Summary = RunResult['metrics'][string];
type Fields = Record<string, unknown>;

const num = (f: Fields, k: string): number | undefined => (typeof f[k] === 'number' ? (f[k] as number) : undefined);
const nums = (parts: readonly Fields[], k: string): number[] =>
  parts.map((p) => num(p, k)).filter((v): v is number => v !== undefined);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** "p95" → 95, "p999" → 99.9, "p(99.9)" → 99.9, "med" → 50; undefined for a key that is no percentile. */
export function percentileOfKey(key: string): number | undefined {
  if (key === 'med') return 50;
  const paren = /^p\((\d+(?:\.\d+)?)\)$/.exec(key);
  if (paren) return Number(paren[1]);
  const bare = /^p(\d+)$/.exec(key);
  if (!bare) return undefined;
  const d = bare[1]!;
  return d.length > 2 ? Number(`${d.slice(0, 2)}.${d.slice(2)}`) : Number(d);
}

/** A statistic of a trend, read again off its merged histogram; undefined when the key is not one. */
function trendStat(h: Histogram, key: string): number | undefined {
  if (key === 'min') return minMs(h);
  if (key === 'max') return maxMs(h);
  if (key === 'mean' || key === 'avg') return meanMs(h);
  const q = percentileOfKey(key);
  return q !== undefined && q > 0 && q <= 100 ? percentileMs(h, q) : undefined;
}

/** Fields every kind treats alike: counts add, the lowest min and the highest max win, other numbers take the highest. */
function generic(parts: readonly Fields[], out: Fields): void {
  for (const key of new Set(parts.flatMap((p) => Object.keys(p)))) {
    if (key in out) continue;
    const xs = nums(parts, key);
    if (xs.length === 0) {
      out[key] = parts.find((p) => p[key] !== undefined)?.[key];
      continue;
    }
    out[key] = ['count', 'sum', 'passes', 'fails', 'nonZero', 'zero'].includes(key) ? sum(xs)
      : key === 'min' ? Math.min(...xs)
      : Math.max(...xs);
  }
}

/**
 * A summary's `stats` (k6's figures in the metric's own unit) merged by kind; undefined when no runner has them.
 * `h` is the trend's merged histogram when every runner kept one (mergeOne has merged it already).
 */
function mergeStats(type: string, parts: readonly Fields[], durationS: number, h: Histogram | undefined): Record<string, number> | undefined {
  const all = parts.map((p) => p.stats as Record<string, number> | undefined).filter((x): x is Record<string, number> => x !== undefined);
  if (all.length === 0) return undefined;
  const total = (k: string) => sum(all.map((x) => x[k] ?? 0));
  const lo = (k: string) => Math.min(...all.map((x) => x[k] ?? Infinity));
  const hi = (k: string) => Math.max(...all.map((x) => x[k] ?? -Infinity));
  if (type === 'counter') return { count: total('count'), rate: durationS > 0 ? total('count') / durationS : 0 };
  if (type === 'rate') {
    const passes = total('passes');
    const fails = total('fails');
    return { rate: passes + fails > 0 ? passes / (passes + fails) : 0, passes, fails };
  }
  if (type === 'gauge') return { value: hi('value'), min: lo('min'), max: hi('max') };
  if (type === 'trend') {
    const count = total('count');
    const out: Record<string, number> = { count, avg: count > 0 ? sum(all.map((x) => (x.avg ?? 0) * (x.count ?? 0))) / count : 0, min: lo('min'), max: hi('max') };
    // Percentiles of the whole test from the merged histogram, clamped to the exact extremes (k6's definition).
    for (const key of Object.keys(all[0]!)) {
      if (key in out) continue;
      const q = percentileOfKey(key);
      out[key] = h && q !== undefined ? percentileMs(h, q, { min: out.min!, max: out.max! }) : hi(key);
    }
    return out;
  }
  return undefined;
}

function mergeOne(parts: readonly Fields[], durationS: number): Fields {
  const type = typeof parts[0]!.type === 'string' ? (parts[0]!.type as string) : 'unknown';
  const count = sum(nums(parts, 'count'));
  const out: Fields = { type, count };
  const values = nums(parts, 'value');
  let merged: Histogram | undefined;
  if (type === 'counter') {
    out.value = sum(values);
    if (parts.some((p) => num(p, 'rate') !== undefined)) out.rate = durationS > 0 ? sum(values) / durationS : 0;
  } else if (type === 'rate') {
    // The fraction of non-zero samples over all the runners' samples: each runner's rate weighted by its count.
    out.value = count > 0 ? sum(parts.map((p) => (num(p, 'value') ?? 0) * (num(p, 'count') ?? 0))) / count : 0;
  } else if (type === 'trend' && parts.every((p) => typeof p.histogram === 'string')) {
    const h = (merged = mergeHistogramStrings(parts.map((p) => p.histogram as string)));
    out.histogram = encodeHistogram(h);
    // `value` is the trend's P95, as the ingest writes it.
    out.value = percentileMs(h, 95);
    for (const key of new Set(parts.flatMap((p) => Object.keys(p)))) {
      const v = key in out ? undefined : trendStat(h, key);
      if (v !== undefined) out[key] = v;
    }
  } else {
    // A gauge is a level per runner (e.g. k6's CPU share of its own machine); a trend without its histogram cannot be
    // merged exactly: both keep the highest runner's value, an upper bound.
    out.value = values.length > 0 ? Math.max(...values) : 0;
  }
  const stats = mergeStats(type, parts, durationS, merged);
  if (stats) out.stats = stats;
  generic(parts, out);
  return out;
}

/** Metrics by name, each merged by its kind over the runners that have it. */
export function mergeMetrics(all: readonly RunResult['metrics'][], durationS: number): RunResult['metrics'] {
  const names = [...new Set(all.flatMap((m) => Object.keys(m)))].sort();
  // Without a prototype: a metric named `__proto__` or `constructor` is a metric here, in both the inputs and the output.
  const out: RunResult['metrics'] = Object.create(null);
  for (const name of names) {
    const parts = all.map((m) => (Object.hasOwn(m, name) ? m[name] : undefined)).filter((p): p is Summary => p !== undefined) as unknown as Fields[];
    out[name] = mergeOne(parts, durationS) as unknown as Summary;
  }
  return out;
}
