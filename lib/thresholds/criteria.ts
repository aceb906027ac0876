// Parses criterion strings ("<300", "<0.1%", "<=+10%") into typed comparisons once, at load time, and evaluates them.

import type { MetricKey } from './schema.js';

export type Op = '<' | '<=' | '>' | '>=';

/** What a metric measures, which decides the units its criteria may use. */
export type MetricFamily = 'latency' | 'rate' | 'throughput';

export function familyOf(metric: MetricKey): MetricFamily {
  if (metric === 'errorRate' || metric === 'rateLimitedRate') return 'rate';
  if (metric === 'throughput') return 'throughput';
  return 'latency';
}

/** The percentile (0–100) a latency metric key names: p999 → 99.9. */
export function percentileOf(metric: MetricKey): number | undefined {
  const m = /^p(\d+)$/.exec(metric);
  if (!m) return undefined;
  const digits = m[1]!;
  return digits.length > 2 ? Number(`${digits.slice(0, 2)}.${digits.slice(2)}`) : Number(digits);
}

export interface Criterion {
  /** As the user wrote it. */
  readonly text: string;
  readonly op: Op;
  /**
   * absolute: compare the measured value with `value` (ms, fraction or requests/s);
   * relative-percent: with baseline × (1 + value); relative-delta: with baseline + value (Keptn-style).
   */
  readonly kind: 'absolute' | 'relative-percent' | 'relative-delta';
  readonly value: number;
}

const GRAMMAR = /^\s*(<=|>=|<|>)\s*([+-])?\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|%|rps|\/s)?\s*$/;

/** Parses one criterion for a metric; returns the reason it is invalid as a string instead of throwing. */
export function parseCriterion(text: string, metric: MetricKey): Criterion | string {
  const c = parseAny(text, metric);
  // Latencies, rates and throughputs are never negative: "<0ms" would fail every run, whatever it measured.
  if (typeof c !== 'string' && c.kind === 'absolute' && ((c.op === '<' && c.value <= 0) || (c.op === '<=' && c.value < 0))) {
    return `"${text}": no ${metric} is below 0, so this target could never pass`;
  }
  return c;
}

function parseAny(text: string, metric: MetricKey): Criterion | string {
  const m = GRAMMAR.exec(text);
  if (!m) return `"${text}" is not a criterion (expected e.g. "<300", "<0.1%", "<=+10%")`;
  const op = m[1] as Op;
  const sign = m[2];
  const unit = m[4] ?? '';
  const n = Number(m[3]) * (sign === '-' ? -1 : 1);
  const family = familyOf(metric);
  if (sign) {
    if (unit === '%') return { text, op, kind: 'relative-percent', value: n / 100 };
    if (family === 'latency' && unit !== 'rps' && unit !== '/s') {
      return { text, op, kind: 'relative-delta', value: unit === 's' ? n * 1000 : n };
    }
    if (family === 'throughput' && (unit === '' || unit === 'rps' || unit === '/s')) return { text, op, kind: 'relative-delta', value: n };
    if (family === 'rate' && unit === '') return { text, op, kind: 'relative-delta', value: n };
    return `"${text}": unit "${unit}" does not fit ${metric}`;
  }
  switch (family) {
    case 'latency':
      if (unit === '' || unit === 'ms') return { text, op, kind: 'absolute', value: n };
      if (unit === 's') return { text, op, kind: 'absolute', value: n * 1000 };
      return unit === '%'
        ? `"${text}": a latency in % needs a sign, relative to the baseline ("<=+10%")`
        : `"${text}": unit "${unit}" does not fit ${metric} (ms or s)`;
    case 'rate': {
      if (unit !== '' && unit !== '%') return `"${text}": unit "${unit}" does not fit ${metric} (a fraction or %)`;
      const v = unit === '%' ? n / 100 : n;
      if (v > 1) return `"${text}": a rate is at most 1 (100%)`;
      return { text, op, kind: 'absolute', value: v };
    }
    case 'throughput':
      if (unit === '' || unit === 'rps' || unit === '/s') return { text, op, kind: 'absolute', value: n };
      return `"${text}": unit "${unit}" does not fit throughput (requests per second)`;
  }
}

export function compare(measured: number, op: Op, limit: number): boolean {
  switch (op) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
  }
}

/** The limit a criterion sets, given the baseline's value of the same metric (undefined: needs one, none given). */
export function limitOf(c: Criterion, baseline?: number): number | undefined {
  if (c.kind === 'absolute') return c.value;
  if (baseline === undefined) return undefined;
  return c.kind === 'relative-percent' ? baseline * (1 + c.value) : baseline + c.value;
}

export function isRelative(c: Criterion): boolean {
  return c.kind !== 'absolute';
}
