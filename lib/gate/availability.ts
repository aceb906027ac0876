// The gate's resilience criteria, for runs with a fault plan (a `resilience` section): availability against its
// target with a 95 % Wilson interval (as error rate is judged), "zero downtime" for each deploy event (no failed
// request in its window) and recovery for each failure event. Pure; judge() adds these rows to the verdict.

import type { RunResult } from '../result/schema.js';
import { failuresByEvent } from '../resilience/analyze.js';
import { describeEvent, eventName } from '../resilience/describe.js';
import type { Resilience, ResilienceEvent } from '../resilience/schema.js';
import type { Thresholds } from '../thresholds/load.js';
import { formatRatio } from './format.js';
import { LEVEL } from './objective.js';
import type { CriterionResult, Status } from './schema.js';
import { wilsonInterval } from './stats/wilson.js';

/** "failures: 12 in #2 kill:api-2 @ 20 s, 0 outside events": which event spent the budget (each failure counted once). */
export function blame(r: RunResult): string {
  const res = r.resilience!;
  const { byEvent, outside } = failuresByEvent(r.timeline, res.events);
  const parts = res.events
    .filter((e) => (byEvent.get(e.index) ?? 0) > 0)
    .sort((a, b) => byEvent.get(b.index)! - byEvent.get(a.index)!)
    .map((e) => `${byEvent.get(e.index)} in ${eventName(e)}`);
  return `failures: ${[...parts, `${outside} outside events`].join(', ')}`;
}

function availabilityRow(run: RunResult, r: Resilience, group: string, minSamples: number): CriterionResult {
  const target = r.settings.availabilityTarget;
  const { requests, failed } = r.run;
  const base = {
    group, metric: 'availability', kind: 'target' as const, unit: 'ratio' as const, target: `>= ${formatRatio(target)}`, samples: requests,
  };
  if (requests < minSamples || r.run.availability === null) {
    return { ...base, measured: r.run.availability, ci: null, status: 'inconclusive', marginal: false, note: `${requests} requests, fewer than the ${minSamples} needed` };
  }
  const w = wilsonInterval(requests - failed, requests, LEVEL);
  const status: Status = r.run.availability >= target ? 'pass' : 'fail';
  return {
    ...base, measured: r.run.availability, ci: { low: w.low, high: w.high, level: LEVEL }, status,
    marginal: w.low < target && target < w.high,
    note: `${blame(run)}; error budget ${r.run.errorBudget.failures} of ${r.run.errorBudget.allowedFailures.toFixed(1)} allowed failures`,
  };
}

function eventRow(e: ResilienceEvent, prefix: string): CriterionResult {
  const group = `${prefix}${eventName(e)}`;
  const f = e.figures;
  const note = describeEvent(e);
  const common = { group, kind: 'target' as const, samples: f?.requests ?? 0, ci: null, marginal: false, note };
  if (e.deploy) {
    const row = { ...common, metric: 'zeroDowntime', unit: 'ratio' as const, target: 'no failed request in the event window', measured: f && f.requests > 0 ? f.failed / f.requests : null };
    if (e.outcome !== 'ok' || !f || f.requests === 0) return { ...row, status: 'inconclusive' };
    return { ...row, status: f.failed === 0 ? 'pass' : 'fail' };
  }
  const row = { ...common, metric: 'recovery', unit: 'ms' as const, target: 'back within targets before the run ends', measured: f?.recoverS === null || !f ? null : f.recoverS * 1000 };
  if (e.outcome === 'skipped' || !f || f.requests === 0) return { ...row, status: 'inconclusive' };
  return { ...row, status: f.recoverS === null ? 'fail' : 'pass' };
}

/** The resilience rows of every run that carries a fault plan's section (none otherwise). */
export function availabilityCriteria(runs: readonly RunResult[], t: Thresholds): CriterionResult[] {
  const withPlan = runs.filter((r) => r.resilience);
  return withPlan.flatMap((r, i) => {
    const prefix = withPlan.length > 1 ? `run ${i + 1} ` : '';
    const res = r.resilience!;
    // A target set in thresholds.json wins over the one the run was measured with.
    const judged = t.availability ? { ...res, settings: { ...res.settings, availabilityTarget: t.availability.target } } : res;
    return [availabilityRow(r, judged, `${prefix}overall`, t.minSamples), ...res.events.filter((e) => e.kind !== 'exec' || e.outcome !== 'skipped').map((e) => eventRow(e, prefix))];
  });
}
