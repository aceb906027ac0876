// The script's own k6 thresholds, judged from result.json: every expression k6 declared (on built-in, custom and
// submetrics) gives one criterion with source "k6". The point estimate decides, exactly as k6 would, so the gate's
// exit code agrees with k6's 99/0; a 95 % interval, where one can be computed, flags a marginal result.

import { buckets, decodeHistogram } from '../histogram.js';
import type { MetricSummary, RunResult } from '../result/schema.js';
import { aggregate, holds, parseK6Expression, type K6Expression } from '../thresholds/k6-expression.js';
import { LEVEL } from './objective.js';
import type { CriterionResult } from './schema.js';
import { normalQuantile } from './stats/normal.js';
import { percentileWithCi } from './stats/percentile-ci.js';
import { wilsonInterval } from './stats/wilson.js';

type Ci = { low: number | null; high: number | null } | null;

/** A 95 % interval for the aggregation, where one means something (percentiles, means, rates); null otherwise. */
function intervalOf(m: MetricSummary, e: K6Expression): Ci {
  const s = m.stats ?? {};
  if (m.type === 'rate' && e.aggregation === 'rate' && m.count > 0) {
    const w = wilsonInterval(s.passes ?? 0, m.count, LEVEL);
    return { low: w.low, high: w.high };
  }
  if (m.type !== 'trend' || !m.histogram || m.count < 2) return null;
  const bs = buckets(decodeHistogram(m.histogram));
  const bounds = { min: s.min ?? 0, max: s.max ?? 0 };
  const p = e.percentile ?? (e.aggregation === 'med' ? 50 : undefined);
  if (p !== undefined) {
    const r = percentileWithCi(bs, p, LEVEL, bounds);
    return r ? { low: r.low, high: r.high } : null;
  }
  if (e.aggregation === 'avg') {
    // Normal interval of the mean; the spread read off the histogram (bucket middles), good to 3 digits.
    const mean = s.avg ?? 0;
    let ss = 0;
    for (const b of bs) ss += b.count * (b.midMs - mean) ** 2;
    const half = normalQuantile(1 - (1 - LEVEL) / 2) * Math.sqrt(ss / (m.count - 1) / m.count);
    return { low: mean - half, high: mean + half };
  }
  return null;
}

function unitOf(m: MetricSummary, e: K6Expression): CriterionResult['unit'] {
  if (m.type === 'rate') return 'ratio';
  if (m.type === 'trend' && m.contains === 'time') return 'ms';
  if (m.type === 'counter' && e.aggregation === 'rate') return 'rps';
  return 'number';
}

/** One criterion: expression `text` on metric `name` of a run (m undefined: the run has no such metric). */
function criterionOf(name: string, m: MetricSummary | undefined, text: string, group: string, fromScript: boolean): CriterionResult {
  const base = {
    group, metric: name, kind: 'target' as const, ...(fromScript ? { source: 'k6' as const } : {}), expression: text,
    samples: m?.count ?? 0, target: text,
  };
  const e = parseK6Expression(text);
  if (typeof e === 'string') return { ...base, unit: 'number', measured: null, ci: null, status: 'inconclusive', marginal: false, note: e };
  if (m === undefined) {
    return { ...base, unit: 'number', measured: null, ci: null, status: 'inconclusive', marginal: false, note: `the run has no metric ${name}` };
  }
  const v = aggregate(m, e);
  const unit = unitOf(m, e);
  if (typeof v === 'string') return { ...base, unit, measured: null, ci: null, status: 'inconclusive', marginal: false, note: v };
  const ci = intervalOf(m, e);
  const marginal = ci !== null && (ci.low ?? -Infinity) < e.value && e.value < (ci.high ?? Infinity);
  return {
    ...base,
    unit,
    measured: v,
    ci: ci ? { ...ci, level: LEVEL } : null,
    status: holds(v, e.op, e.value) ? 'pass' : 'fail',
    marginal,
    ...(m.count === 0 ? { note: "no samples: judged on k6's empty-metric value" } : {}),
  };
}

const byName = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

/** One criterion per k6 threshold expression declared in the run (recorded by the ingest in result.json). */
export function k6ThresholdCriteria(r: RunResult, group = 'k6'): CriterionResult[] {
  return Object.entries(r.metrics)
    .sort(byName)
    .flatMap(([name, m]) => (m.thresholds ?? []).map((text) => criterionOf(name, m, text, group, true)));
}

/**
 * thresholds.json's `k6` section judged on a run. With `skipDeclared` (the script's thresholds are judged too), an
 * expression the run already declared on that metric is not judged twice (thresholds.json hands it to k6).
 */
export function fileK6Criteria(r: RunResult, section: Readonly<Record<string, readonly K6Expression[]>>, skipDeclared: boolean, group = 'k6'): CriterionResult[] {
  return Object.entries(section)
    .sort(byName)
    .flatMap(([name, exprs]) =>
      exprs
        .filter((e) => !(skipDeclared && (r.metrics[name]?.thresholds ?? []).includes(e.text)))
        .map((e) => criterionOf(name, r.metrics[name], e.text, group, false)),
    );
}
