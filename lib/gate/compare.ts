// Baseline comparison for one group (Kayenta-style): Mann–Whitney U with the Hodges–Lehmann shift and its interval
// for latency, a two-proportion test for the error rate. Default rule: fail when the shift is significant AND larger
// than maxLatencyShift of the baseline median, or when the error rate rose significantly.

import type { BaselineRule } from '../thresholds/load.js';
import { formatRatio } from './format.js';
import type { GroupData } from './groups.js';
import { LEVEL } from './objective.js';
import type { CriterionResult } from './schema.js';
import { hodgesLehmann } from './stats/hodges-lehmann.js';
import { mannWhitney } from './stats/mann-whitney.js';
import { normalQuantile } from './stats/normal.js';
import { percentileOfBuckets } from '../histogram.js';
import { twoProportion } from './stats/two-proportion.js';

export interface CompareOptions {
  readonly rule: BaselineRule;
  /** The significance level per test, after correction for the number of groups compared. */
  readonly alpha: number;
  readonly minSamples: number;
}

/** The baseline's median latency: what a relative shift is measured against. */
function median(g: GroupData): number {
  return percentileOfBuckets(g.buckets, 50, g.bounds);
}

function total(g: GroupData): number {
  return g.buckets.reduce((s, b) => s + b.count, 0);
}

export function compareGroup(candidate: GroupData, baseline: GroupData, o: CompareOptions): CriterionResult[] {
  const rows: CriterionResult[] = [];
  const enough = candidate.requests >= o.minSamples && baseline.requests >= o.minSamples && total(candidate) > 0 && total(baseline) > 0;
  const shiftTarget = `not slower by > ${formatRatio(o.rule.maxLatencyShift)} (significant at ${formatRatio(1 - o.alpha)})`;
  const base = { group: candidate.name, kind: 'baseline' as const, samples: candidate.requests };
  if (!enough) {
    const note = `${Math.min(candidate.requests, baseline.requests)} requests in one run, fewer than the ${o.minSamples} needed`;
    rows.push({ ...base, metric: 'latencyShift', unit: 'ms', measured: null, ci: null, target: shiftTarget, status: 'inconclusive', marginal: false, note });
    if (o.rule.errorRate) {
      rows.push({ ...base, metric: 'errorRateChange', unit: 'ratio', measured: null, ci: null, target: 'no significant rise', status: 'inconclusive', marginal: false, note });
    }
    return rows;
  }

  const mw = mannWhitney(baseline.buckets, candidate.buckets);
  const hl = hodgesLehmann(baseline.buckets, candidate.buckets, mw.sigma, LEVEL)!;
  const med = median(baseline);
  const relativeShift = med > 0 ? hl.shiftMs / med : 0;
  const significant = mw.p < o.alpha && mw.z > 0;
  const limitMs = med * o.rule.maxLatencyShift;
  rows.push({
    ...base,
    metric: 'latencyShift',
    unit: 'ms',
    measured: hl.shiftMs,
    ci: { low: hl.lowMs, high: hl.highMs, level: LEVEL },
    target: shiftTarget,
    status: significant && relativeShift > o.rule.maxLatencyShift ? 'fail' : 'pass',
    marginal: hl.lowMs < limitMs && limitMs < hl.highMs,
    note: `shift ${relativeShift >= 0 ? '+' : ''}${formatRatio(relativeShift)} of the baseline median, p = ${mw.p.toPrecision(2)}`,
    test: { alpha: o.alpha, p: mw.p, z: mw.z, u: mw.u, relativeShift, baselineValue: med, baselineSamples: baseline.requests },
  });

  if (o.rule.errorRate) {
    const t = twoProportion(baseline.errors, baseline.requests, candidate.errors, candidate.requests);
    const diff = t.candidateRate - t.baselineRate;
    const se = Math.sqrt(
      (t.baselineRate * (1 - t.baselineRate)) / baseline.requests + (t.candidateRate * (1 - t.candidateRate)) / candidate.requests,
    );
    const z = normalQuantile(1 - (1 - LEVEL) / 2);
    rows.push({
      ...base,
      metric: 'errorRateChange',
      unit: 'ratio',
      measured: diff,
      ci: { low: diff - z * se, high: diff + z * se, level: LEVEL },
      target: `no significant rise (at ${formatRatio(1 - o.alpha)})`,
      status: t.z > 0 && t.p < o.alpha ? 'fail' : 'pass',
      marginal: false,
      note: `${formatRatio(t.baselineRate)} → ${formatRatio(t.candidateRate)}, p = ${t.p.toPrecision(2)}`,
      test: { alpha: o.alpha, p: t.p, z: t.z, baselineValue: t.baselineRate, baselineSamples: baseline.requests },
    });
  }
  return rows;
}
