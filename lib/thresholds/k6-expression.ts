// k6 threshold expressions ("p(95)<300", "rate>0.95", "count>=10", "avg<8") parsed once into a typed form, and the
// aggregation they name read off a metric summary exactly as k6's sinks define it. The grammar and the aggregations
// per metric type are k6's (metrics/thresholds_parser.go, metrics/sink.go).

import { percentileOfBuckets, buckets, decodeHistogram } from '../histogram.js';
import type { MetricSummary } from '../result/schema.js';

export type K6Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface K6Expression {
  /** As written in the script. */
  readonly text: string;
  /** avg, min, max, med, count, rate, value, or p(N). */
  readonly aggregation: string;
  /** For p(N): N (0–100). */
  readonly percentile?: number;
  readonly op: K6Operator;
  readonly value: number;
}

const GRAMMAR = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** Parses one expression; returns the reason it is invalid as a string instead of throwing. */
export function parseK6Expression(text: string): K6Expression | string {
  const m = GRAMMAR.exec(text);
  if (!m) return `"${text}" is not a k6 threshold (expected e.g. "p(95)<300", "rate>0.99", "avg<8")`;
  const aggregation = m[1]!.startsWith('p(') ? 'p' : m[1]!;
  const percentile = m[2] !== undefined ? Number(m[2]) : undefined;
  if (percentile !== undefined && !(percentile >= 0 && percentile <= 100)) return `"${text}": a percentile is 0–100`;
  return { text, aggregation: aggregation === 'p' ? `p(${percentile})` : aggregation, ...(percentile !== undefined ? { percentile } : {}), op: m[3] as K6Operator, value: Number(m[4]) };
}

/** k6's aggregation methods by metric type (what k6 itself accepts; anything else it refuses at start). */
export const AGGREGATIONS: Readonly<Record<string, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'p'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value', 'min', 'max'],
};

/** The aggregation's value on a metric summary; a string says why there is none. */
export function aggregate(m: MetricSummary, e: K6Expression): number | string {
  const allowed = AGGREGATIONS[m.type];
  const method = e.percentile !== undefined ? 'p' : e.aggregation;
  if (allowed && !allowed.includes(method)) return `${e.aggregation} does not apply to a ${m.type} (k6 allows ${allowed.join(', ')})`;
  const s = m.stats ?? {};
  if (e.percentile !== undefined) {
    const kept = s[`p(${e.percentile})`] ?? (e.percentile === 50 ? s.med : [90, 95, 99].includes(e.percentile) ? s[`p${e.percentile}`] : undefined);
    if (kept !== undefined) return kept;
    if (!m.histogram || m.count === 0) return m.count === 0 ? 0 : 'no histogram kept';
    return percentileOfBuckets(buckets(decodeHistogram(m.histogram)), e.percentile, { min: s.min ?? 0, max: s.max ?? 0 });
  }
  const v = s[e.aggregation === 'med' ? 'med' : e.aggregation];
  return typeof v === 'number' ? v : `${e.aggregation} was not recorded for this metric`;
}

export function holds(measured: number, op: K6Operator, limit: number): boolean {
  switch (op) {
    case '<': return measured < limit;
    case '<=': return measured <= limit;
    case '>': return measured > limit;
    case '>=': return measured >= limit;
    case '==':
    case '===': return measured === limit;
    case '!=': return measured !== limit;
  }
}
