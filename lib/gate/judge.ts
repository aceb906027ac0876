// The gate's judgement: run results + thresholds (+ an optional baseline) → a Verdict. Pure: no files, no clock
// (the time of judgement is passed in). Callers do not use it directly: lib/gate/verdict-file.ts judges and writes
// <run-dir>/verdict.json, for `gate`, `run --gate` and every capacity ladder level alike.

import type { RunResult } from '../result/schema.js';
import { endpointTargets, overallTargets } from '../thresholds/resolve.js';
import type { Thresholds } from '../thresholds/load.js';
import { availabilityCriteria } from './availability.js';
import { compareGroup } from './compare.js';
import { groupsOf, OVERALL, type GroupData } from './groups.js';
import { judgeObjective, measure } from './objective.js';
import { fileK6Criteria, k6ThresholdCriteria } from './k6-thresholds.js';
import { VERDICT_SCHEMA, type CriterionResult, type RunRef, type Status, type Verdict } from './schema.js';

export interface JudgeOptions {
  /** The profile whose targets apply; default: the first run's. */
  readonly profile?: string;
  readonly baseline?: RunResult | readonly RunResult[];
  /** ISO time stamped on the verdict; default: the last run's end. */
  readonly judgedAt?: string;
  /** Also judge the thresholds declared in the k6 script (recorded in result.json), as k6 does. */
  readonly k6Thresholds?: boolean;
}

function runRef(r: RunResult): RunRef {
  return { scenario: r.meta.scenario, profile: r.meta.profile, startedAt: r.meta.startedAt, complete: r.meta.complete, requests: r.overall.requests };
}

const RANK: Record<Status, number> = { pass: 0, warn: 1, inconclusive: 2, fail: 3 };

/** The gate's exit code for a status: 1 fail, 3 inconclusive, else 0. */
export function statusExitCode(status: Status): 0 | 1 | 3 {
  return status === 'fail' ? 1 : status === 'inconclusive' ? 3 : 0;
}

export function judge(results: RunResult | readonly RunResult[], t: Thresholds, opts: JudgeOptions = {}): Verdict {
  const runs = Array.isArray(results) ? (results as readonly RunResult[]) : [results as RunResult];
  if (runs.length === 0) throw new RangeError('judge: no run results');
  const first = runs[0]!;
  const profile = opts.profile ?? first.meta.profile;
  const groups = groupsOf(runs, t.errorsAlsoCount);
  const baseRuns = opts.baseline === undefined ? [] : Array.isArray(opts.baseline) ? (opts.baseline as readonly RunResult[]) : [opts.baseline as RunResult];
  const baseGroups = new Map<string, GroupData>(baseRuns.length ? groupsOf(baseRuns, t.errorsAlsoCount).map((g) => [g.name, g]) : []);
  const reasons: string[] = [];
  const criteria: CriterionResult[] = [];
  // Rows that are reported but do not decide the verdict: too few samples on an endpoint no rule names.
  const reportedOnly = new Set<CriterionResult>();
  const tooFew = new Set<string>();

  for (const g of groups) {
    const targets = g.name === OVERALL ? overallTargets(t, profile) : endpointTargets(t, profile, g.name);
    const bg = baseGroups.get(g.name);
    for (const o of targets.objectives) {
      const bv = bg ? measure(bg, o.metric).value ?? undefined : undefined;
      const row = judgeObjective(g, o, targets.minSamples, bv);
      if (row) {
        criteria.push(row);
        if (row.status === 'inconclusive' && !targets.named) {
          reportedOnly.add(row);
          tooFew.add(g.name);
        }
      } else if (g.name === OVERALL) reasons.push(`${o.metric}: only relative criteria, and no baseline to compare with`);
    }
  }
  // Runs with a fault plan: availability, zero downtime per deploy event, recovery per failure event.
  criteria.push(...availabilityCriteria(runs, t));
  // Small runs read clearly: one line for the whole run when it is too small, else one line for small endpoints.
  const overallMin = overallTargets(t, profile).minSamples;
  const n = groups[0]!.requests;
  for (const row of reportedOnly) delete row.note;
  if (n > 0 && n < overallMin) {
    for (const row of criteria) if (row.status === 'inconclusive' && row.source === undefined && row.kind === 'target') delete row.note;
    reasons.push(`too few requests to judge (${n} < minSamples ${overallMin})`);
  }
  else if (tooFew.size) {
    reasons.push(`${tooFew.size} endpoint(s) had too few requests to judge on their own (the run as a whole was judged): ${[...tooFew].join(', ')}`);
  }

  if (baseGroups.size > 0) {
    const compared = groups.filter((g) => baseGroups.has(g.name) && (g.name === OVERALL || t.judgeEndpoints));
    // Bonferroni: testing k groups at α each would raise false alarms k-fold; noise must not fail the gate.
    const alpha = t.baseline.correction === 'bonferroni' ? t.baseline.alpha / Math.max(1, compared.length) : t.baseline.alpha;
    for (const g of compared) {
      const minSamples = (g.name === OVERALL ? overallTargets(t, profile) : endpointTargets(t, profile, g.name)).minSamples;
      criteria.push(...compareGroup(g, baseGroups.get(g.name)!, { rule: t.baseline, alpha, minSamples }));
    }
    const missing = groups.filter((g) => g.name !== OVERALL && !baseGroups.has(g.name)).map((g) => g.name);
    if (missing.length) reasons.push(`not in the baseline, not compared: ${missing.join(', ')}`);
  }

  runs.forEach((r, i) => {
    const group = runs.length > 1 ? `k6 (run ${i + 1})` : 'k6';
    if (opts.k6Thresholds) criteria.push(...k6ThresholdCriteria(r, group));
    if (t.k6) criteria.push(...fileK6Criteria(r, t.k6, opts.k6Thresholds ?? false, group));
  });

  let verdict: Status = criteria.reduce<Status>((v, c) => (!reportedOnly.has(c) && RANK[c.status] > RANK[v] ? c.status : v), 'pass');
  const overall = groups[0]!;
  if (overall.requests === 0) reasons.push('no requests were measured');
  for (const r of runs) if (!r.meta.complete) reasons.push(`run started ${r.meta.startedAt} is incomplete${r.meta.incompleteReason ? `: ${r.meta.incompleteReason}` : ''}`);
  if ((overall.requests === 0 || runs.some((r) => !r.meta.complete) || criteria.length === 0) && verdict !== 'fail') verdict = 'inconclusive';
  if (criteria.length === 0) reasons.push('no criteria to judge');

  const count = (s: Status) => criteria.filter((c) => c.status === s).length;
  return {
    schema: VERDICT_SCHEMA,
    verdict,
    exitCode: statusExitCode(verdict),
    scenario: first.meta.scenario,
    profile,
    judgedAt: opts.judgedAt ?? runs.map((r) => r.meta.endedAt).sort().at(-1)!,
    thresholdsFile: t.file,
    thresholdsSha256: t.sha256,
    runs: runs.map(runRef),
    ...(baseRuns.length ? { baseline: runRef(baseRuns[0]!) } : {}),
    reasons,
    counts: { pass: count('pass'), warn: count('warn'), fail: count('fail'), inconclusive: count('inconclusive'), marginal: criteria.filter((c) => c.marginal).length },
    criteria,
  };
}
