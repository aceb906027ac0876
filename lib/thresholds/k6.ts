// Translates thresholds into k6's `thresholds` option, so k6 itself can abort a run that is already failing.
// The gate stays the judge: k6 only sees absolute targets (it knows no baseline) at their fail boundary.

import type { Criterion } from './criteria.js';
import { percentileOf } from './criteria.js';
import { isGlob } from './glob.js';
import type { Objective, Thresholds } from './load.js';
import { endpointTargets, overallTargets } from './resolve.js';

import type { K6Threshold, K6Thresholds } from '../../scenarios/k6-types.js';

// Declared once, on the k6 side (scenarios/k6-types.ts), and re-exported for lib/.
export type { K6Threshold, K6Thresholds };

/** k6's metric and aggregation for one of our metrics; undefined when k6 has no equivalent (429 share). */
function k6MetricOf(o: Objective): { metric: string; agg: string } | undefined {
  const p = percentileOf(o.metric);
  if (p !== undefined) return { metric: 'http_req_duration', agg: `p(${p})` };
  if (o.metric === 'errorRate') return { metric: 'http_req_failed', agg: 'rate' };
  if (o.metric === 'throughput') return { metric: 'http_reqs', agg: 'rate' };
  return undefined;
}

function add(out: K6Thresholds, objectives: readonly Objective[], tag?: string): void {
  for (const o of objectives) {
    const m = k6MetricOf(o);
    if (!m) continue;
    // The gate fails only below the warn tier when there is one, so that is where k6 should draw the line.
    const boundary: readonly Criterion[] = o.warn ?? o.pass;
    const key = tag ? `${m.metric}{name:${tag}}` : m.metric;
    for (const c of boundary) {
      if (c.kind !== 'absolute') continue;
      const threshold = `${m.agg}${c.op}${c.value}`;
      const entry: K6Threshold = o.abortOnFail
        ? { threshold, abortOnFail: true, ...(o.delayAbortEval ? { delayAbortEval: o.delayAbortEval } : {}) }
        : threshold;
      (out[key] ??= []).push(entry);
    }
  }
}

/**
 * The targets for `profile` in k6's thresholds format: overall ones on the plain metrics, and per endpoint (via the
 * `name` tag) for every endpoint rule that names one endpoint literally (a glob cannot be expanded before the run).
 */
export function toK6Thresholds(t: Thresholds, profile: string): K6Thresholds {
  const out: K6Thresholds = {};
  add(out, overallTargets(t, profile).objectives);
  const literal = new Set(
    [...t.endpoints, ...t.profiles.filter((p) => p.regex.test(profile)).flatMap((p) => p.endpoints)]
      .map((r) => r.glob)
      .filter((g) => !isGlob(g)),
  );
  for (const name of literal) add(out, endpointTargets(t, profile, name).objectives, name);
  for (const [metric, exprs] of Object.entries(t.k6 ?? {})) (out[metric] ??= []).push(...exprs.map((e) => e.text));
  return out;
}
