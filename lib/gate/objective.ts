// Judges one group on one objective: measures the metric with its 95 % interval, applies pass/warn tiers
// (Keptn-style: failing pass but meeting warn is a warning) and flags a marginal result.

import { compare, limitOf, percentileOf, type Criterion } from '../thresholds/criteria.js';
import type { Objective } from '../thresholds/load.js';
import type { GroupData } from './groups.js';
import { formatCriterion, formatValue, type Unit } from './format.js';
import type { CriterionResult, Status } from './schema.js';
import { percentileWithCi } from './stats/percentile-ci.js';
import { wilsonInterval } from './stats/wilson.js';

export const LEVEL = 0.95;

export interface Measurement {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** false when no interval applies (throughput). */
  readonly hasCi: boolean;
  readonly unit: Unit;
}

export function measure(g: GroupData, metric: Objective['metric']): Measurement {
  const p = percentileOf(metric);
  if (p !== undefined) {
    const e = percentileWithCi(g.buckets, p, LEVEL, g.bounds);
    return e ? { value: e.value, low: e.low, high: e.high, hasCi: true, unit: 'ms' } : { value: null, low: null, high: null, hasCi: true, unit: 'ms' };
  }
  if (metric === 'throughput') return { value: g.throughputRps, low: null, high: null, hasCi: false, unit: 'rps' };
  const events = metric === 'errorRate' ? g.errors : g.rateLimited;
  if (g.requests === 0) return { value: null, low: null, high: null, hasCi: true, unit: 'ratio' };
  const w = wilsonInterval(events, g.requests, LEVEL);
  return { value: events / g.requests, low: w.low, high: w.high, hasCi: true, unit: 'ratio' };
}

function straddles(m: Measurement, limit: number): boolean {
  if (!m.hasCi) return false;
  return (m.low ?? -Infinity) < limit && limit < (m.high ?? Infinity);
}

interface Applied {
  readonly c: Criterion;
  readonly limit: number;
}

function applicable(cs: readonly Criterion[], baseline: number | undefined): Applied[] {
  return cs.flatMap((c) => {
    const limit = limitOf(c, baseline);
    return limit === undefined ? [] : [{ c, limit }];
  });
}

function targetText(o: Objective, unit: Unit, baseline: number | undefined): string {
  const tier = (cs: readonly Criterion[]) =>
    cs
      .map((c) => {
        const l = limitOf(c, baseline);
        return c.kind !== 'absolute' && l !== undefined ? `${formatCriterion(c, unit)} (${formatValue(l, unit)})` : formatCriterion(c, unit);
      })
      .join(' and ');
  return o.warn ? `${tier(o.pass)}; warn ${tier(o.warn)}` : tier(o.pass);
}

/**
 * One row of the verdict. `baselineValue` is the same metric measured on the baseline (for relative criteria);
 * without it relative criteria are left out, and an objective with nothing left is not judged (undefined).
 */
export function judgeObjective(g: GroupData, o: Objective, minSamples: number, baselineValue?: number): CriterionResult | undefined {
  const m = measure(g, o.metric);
  const pass = applicable(o.pass, baselineValue);
  const warn = o.warn ? applicable(o.warn, baselineValue) : undefined;
  if (pass.length === 0) return undefined;
  const base = {
    group: g.name,
    metric: o.metric,
    kind: 'target' as const,
    unit: m.unit,
    measured: m.value,
    ci: m.hasCi && m.value !== null ? { low: m.low, high: m.high, level: LEVEL } : null,
    target: targetText(o, m.unit, baselineValue),
    samples: g.requests,
  };
  if (g.requests < minSamples || m.value === null) {
    return { ...base, status: 'inconclusive', marginal: false, note: `${g.requests} request${g.requests === 1 ? '' : 's'}, fewer than the ${minSamples} needed` };
  }
  const value = m.value;
  const holds = (as: Applied[]) => as.every((a) => compare(value, a.c.op, a.limit));
  const status: Status = holds(pass) ? 'pass' : warn && warn.length > 0 && holds(warn) ? 'warn' : 'fail';
  // A warn tier decides between warn and fail, so its boundary counts too once pass is missed.
  const decisive = status === 'pass' ? pass : [...pass, ...(warn ?? [])];
  const marginal = decisive.some((a) => straddles(m, a.limit));
  const skipped = o.pass.length - pass.length + (o.warn?.length ?? 0) - (warn?.length ?? 0);
  return {
    ...base,
    status,
    marginal,
    ...(skipped > 0 ? { note: 'relative criteria left out: no baseline' } : {}),
  };
}
