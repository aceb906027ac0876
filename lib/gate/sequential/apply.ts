// Puts the sequential gate's decisions into a verdict: each target row the sequence judged gets its decision, the
// second it was reached and, undecided, what it needs; gating rows take their status from the decision, an
// endpoint's rows without "gating" in thresholds.json become advisory; the verdict is recomputed from what gates.
// Pure.

import { countAtOrAboveMs, decodeHistogram } from '../../histogram.js';
import type { RequestStats, RunResult } from '../../result/schema.js';
import { statusExitCode } from '../judge.js';
import { OVERALL } from '../groups.js';
import type { CriterionResult, SequenceSeries, Status, Verdict } from '../schema.js';
import type { SequentialCriterion } from './criteria.js';
import type { Decision } from './monitor.js';
import { DEFAULT_BATCH_S, firstDecisionS } from './dispersion.js';
import { sequenceAlpha } from './look.js';
import { needOf, type Need } from './needs.js';
import type { CriterionReplay, Replay } from './replay.js';

export const METHOD =
  'beta-binomial mixture confidence sequence (Jeffreys prior) on each share, counts divided by the overdispersion ' +
  'measured on 10-second batches and their doublings (97.5 % upper bound, first trusted at 60 s); ' +
  'an early look at the first 5 s decides FAIL by Markov\'s inequality (any dependence) where the share allows';

const RANK: Record<Status, number> = { pass: 0, warn: 1, inconclusive: 2, fail: 3 };
const STATUS: Record<Decision, Status> = { pass: 'pass', fail: 'fail', undecided: 'inconclusive' };

/** A criterion's requests and events over the whole run, for what an endpoint's criterion would need. */
function totalsOf(result: RunResult, c: SequentialCriterion, alsoCount: readonly string[]): { n: number; k: number } | undefined {
  const s: RequestStats | undefined = c.group === OVERALL ? result.overall : result.endpoints[c.group];
  if (!s || s.requests === 0) return undefined;
  if (c.thresholdMs !== undefined) return { n: s.requests, k: countAtOrAboveMs(decodeHistogram(s.histogram), c.thresholdMs, c.atOrAbove ?? true) };
  const k = c.metric === 'rateLimitedRate' ? s.rateLimited : s.failed + alsoCount.reduce((sum, code) => sum + (s.statusCodes[code] ?? 0), 0);
  return { n: s.requests, k: Math.min(k, s.requests) };
}

function needFor(r: CriterionReplay, result: RunResult, alpha: number, alsoCount: readonly string[]): Need | null {
  const c = r.criterion;
  if (r.unjudged === undefined) {
    const need = needOf(r.state.events, r.state.n, c.share, sequenceAlpha(c, alpha), r.state.dispersion, r.state.seconds > 0 ? r.state.n / r.state.seconds : 0);
    // Enough requests are not enough before the overdispersion has been measured: the sequence waits for its seconds.
    const wait = firstDecisionS(DEFAULT_BATCH_S) - r.state.seconds;
    return need && wait > 0 && need.moreSeconds !== null ? { ...need, moreSeconds: Math.max(need.moreSeconds, wait) } : need;
  }
  // Judged from the run's totals alone: a lower bound on what it needs (its overdispersion is not known).
  const t = totalsOf(result, c, alsoCount);
  return t ? needOf(t.k, t.n, c.share, sequenceAlpha(c, alpha), 1, result.meta.durationS > 0 ? t.n / result.meta.durationS : 0) : null;
}

/** One row's decision from its criteria's: FAIL at the first failing one, PASS when all passed (at the last). */
function combine(rs: readonly CriterionReplay[]): { decision: Decision; decidedAtS: number | null } {
  const failed = rs.filter((r) => r.state.decision === 'fail').map((r) => r.state.decidedAtS!);
  if (failed.length) return { decision: 'fail', decidedAtS: Math.min(...failed) };
  if (rs.every((r) => r.state.decision === 'pass')) return { decision: 'pass', decidedAtS: Math.max(...rs.map((r) => r.state.decidedAtS!)) };
  return { decision: 'undecided', decidedAtS: null };
}

export function applySequential(v: Verdict, result: RunResult, replay: Replay, alpha: number, alsoCount: readonly string[] = []): Verdict {
  const criteria: CriterionResult[] = v.criteria.map((row) => {
    if (row.kind !== 'target' || row.source !== undefined) return row;
    const rs = replay.criteria.filter((r) => r.criterion.group === row.group && r.criterion.metric === row.metric);
    if (rs.length === 0) return row;
    const { decision, decidedAtS } = combine(rs);
    const gating = rs.some((r) => r.criterion.gating);
    const needs = decision === 'undecided'
      ? rs.map((r) => (r.state.decision === 'undecided' ? needFor(r, result, alpha, alsoCount) : undefined)).filter((n): n is Need => !!n)
      : [];
    const need = needs.sort((a, b) => b.moreRequests - a.moreRequests)[0];
    const why = rs.find((r) => r.unjudged)?.unjudged;
    const { note: _note, ...rest } = row;
    return {
      ...rest,
      status: STATUS[decision],
      marginal: false,
      ...(gating ? {} : { advisory: true }),
      decision,
      decidedAtS,
      ...(need ? { needs: { moreRequests: need.moreRequests, moreSeconds: need.moreSeconds } } : {}),
      // An advisory row's reason is summed up once under the table (lib/gate/sequential/render.ts), not per row.
      ...(why && gating ? { note: why } : {}),
    };
  });
  // The verdict: rows that gate (the sequence's gating rows, and what the sequence does not judge: baselines, k6
  // thresholds, availability); an endpoint's advisory rows are reported only.
  const deciding = criteria.filter((c) => !c.advisory && !(c.kind === 'target' && c.source === undefined && c.group !== OVERALL && c.decision === undefined));
  let verdict: Status = deciding.reduce<Status>((s, c) => (RANK[c.status] > RANK[s] ? c.status : s), 'pass');
  if (verdict !== 'fail' && (v.runs.some((r) => !r.complete) || v.runs.every((r) => r.requests === 0) || deciding.length === 0)) verdict = 'inconclusive';
  const gatingRows = criteria.filter((c) => c.decision !== undefined && !c.advisory);
  const firstFail = gatingRows.filter((c) => c.decision === 'fail').map((c) => c.decidedAtS!);
  const decidedAtS = firstFail.length
    ? Math.min(...firstFail)
    : gatingRows.length > 0 && gatingRows.every((c) => c.decision === 'pass')
      ? Math.max(...gatingRows.map((c) => c.decidedAtS!))
      : null;
  const series: SequenceSeries[] = replay.criteria
    .filter((r) => r.criterion.gating && r.unjudged === undefined)
    .map((r) => ({
      group: r.criterion.group,
      metric: r.criterion.metric,
      share: r.criterion.share,
      passWhen: r.criterion.passWhen,
      decision: r.state.decision,
      decidedAtS: r.state.decidedAtS,
      points: r.series.map((p) => [p.atS, round(p.lower), round(p.upper)] as [number, number, number]),
    }));
  const count = (s: Status) => criteria.filter((c) => c.status === s).length;
  return {
    ...v,
    verdict,
    exitCode: statusExitCode(verdict),
    counts: { pass: count('pass'), warn: count('warn'), fail: count('fail'), inconclusive: count('inconclusive'), marginal: criteria.filter((c) => c.marginal).length },
    criteria,
    sequential: { alpha, method: METHOD, fromS: replay.fromS, seconds: replay.seconds, decidedAtS, series },
  };
}

/** Seven significant digits: the chart needs no more, and verdict.json stays small. */
function round(x: number): number {
  return Number(x.toPrecision(7));
}
