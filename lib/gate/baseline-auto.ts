// `gate --baseline auto`: the baseline is the stable segment of the history — the passing runs of this scenario and
// profile since their last change point, pooled — rather than one run, so one noisy baseline neither hides nor
// invents a regression. A new run that lies outside that segment's run-to-run spread (the detector's own t-test
// with the new run as a segment of one) is named as starting a change. Pure: history and figures in, rows out.

import { changePoints, DEFAULT_DETECTOR, lastSegmentStart } from '../history/changepoints.js';
import type { HistoryEntry, HistoryIndex } from '../history/schema.js';
import { figureOf, OVERALL_GROUP, runIdOf, seriesOf, sortedRuns, type HistoryMetric } from '../history/series.js';
import { tTestSplit } from '../history/t-test.js';
import { formatMs, formatRatio } from './format.js';
import { statusExitCode } from './judge.js';
import type { CriterionResult, Status, Verdict } from './schema.js';

/** Runs pooled at most (the newest of the segment): enough for a stable sample, few result files to read. */
export const AUTO_POOL_MAX = 50;

/** The overall series whose change points end a stable segment (endpoints are left out: many series, many false alarms). */
const SEGMENT_METRICS: readonly HistoryMetric[] = ['p95', 'p99', 'errorRate'];

export interface AutoBaseline {
  /** Every passing run of the stable segment, oldest first. */
  readonly segment: readonly HistoryEntry[];
  /** The newest AUTO_POOL_MAX of them: the pooled baseline. */
  readonly pooled: readonly HistoryEntry[];
  /** Passing runs before the segment (0: no change point in the history). */
  readonly runsBefore: number;
  /** Runs judged after the segment's newest run that did not pass (so are not in it), oldest first. */
  readonly later: readonly HistoryEntry[];
}

export function autoBaseline(
  h: HistoryIndex,
  scenario: string,
  profile: string,
  exclude: readonly string[],
  exists: (dir: string) => boolean = () => true,
): AutoBaseline | undefined {
  const series = sortedRuns(h).filter((r) => r.scenario === scenario && r.profile === profile && !r.dirs.some((d) => exclude.includes(d)));
  const passing = series.filter((r) => (r.verdict === 'pass' || r.verdict === 'warn') && r.dirs.every(exists));
  if (passing.length === 0) return undefined;
  const runs = passing.map((entry, i) => ({ run: i, entry }));
  let start = 0;
  for (const m of SEGMENT_METRICS) {
    const pts = seriesOf(runs, OVERALL_GROUP, m);
    const s = lastSegmentStart(changePoints(pts.map((p) => p.value)));
    if (s > 0) start = Math.max(start, pts[s]!.run);
  }
  const segment = passing.slice(start);
  const newest = segment.at(-1)!;
  const later = series.filter((r) => r.startedAt > newest.startedAt && r.verdict !== 'pass' && r.verdict !== 'warn');
  return { segment, pooled: segment.slice(-AUTO_POOL_MAX), runsBefore: start, later };
}

const LABEL: Record<HistoryMetric, string> = { p95: 'P95', p99: 'P99', errorRate: 'Error rate', throughput: 'Throughput' };

function show(metric: HistoryMetric, x: number): string {
  return metric === 'errorRate' ? formatRatio(x) : metric === 'throughput' ? `${x.toFixed(1)} req/s` : formatMs(x);
}

/**
 * One row per series in which the candidate starts a change against the segment (p < the detector's alpha):
 * P95 of overall and of each endpoint, P99 and error rate overall. Status "warn": the pooled comparison decides
 * pass or fail, these rows say where the step is.
 */
export function stepRows(auto: AutoBaseline, candidate: HistoryEntry, alpha = DEFAULT_DETECTOR.alpha): CriterionResult[] {
  const series: Array<[string, HistoryMetric]> = [
    [OVERALL_GROUP, 'p95'], [OVERALL_GROUP, 'p99'], [OVERALL_GROUP, 'errorRate'],
    ...Object.keys(candidate.endpoints ?? {}).sort().map((g): [string, HistoryMetric] => [g, 'p95']),
  ];
  const rows: CriterionResult[] = [];
  for (const [group, metric] of series) {
    const x = figureOf(candidate, group, metric);
    const before = auto.segment.flatMap((e) => {
      const v = figureOf(e, group, metric);
      return v === undefined ? [] : [v];
    });
    if (x === undefined || before.length < 2) continue;
    const stepOf = (v: number) => {
      const t = tTestSplit([...before, v], 0, before.length, before.length + 1);
      return t.pValue < alpha && t.meanBefore !== v ? { t, up: v > t.meanBefore } : undefined;
    };
    const s = stepOf(x);
    if (!s) continue;
    const t = s.t;
    const change = t.meanBefore === 0 ? null : x / t.meanBefore - 1;
    // The runs judged since the segment that stepped the same way, newest back: the change started at the oldest.
    let since = 0;
    for (let i = auto.later.length - 1; i >= 0; i--) {
      const v = figureOf(auto.later[i]!, group, metric);
      const sv = v === undefined ? undefined : stepOf(v);
      if (!sv || sv.up !== s.up) break;
      since++;
    }
    const at = since === 0 ? 'at this run' : `at run ${runIdOf(auto.later[auto.later.length - since]!)} (${since} run(s) before this one)`;
    const what = `${LABEL[metric]} of ${group === OVERALL_GROUP ? 'all requests' : group}`;
    const step = change === null ? `rose from 0 to ${show(metric, x)}` : `stepped ${change > 0 ? 'up' : 'down'} ${formatRatio(Math.abs(change))}`;
    const requests = group === OVERALL_GROUP ? candidate.requests : candidate.endpoints?.[group]?.requests ?? 0;
    rows.push({
      group,
      metric: `${metric} change point`,
      kind: 'baseline',
      unit: metric === 'errorRate' ? 'ratio' : 'ms',
      measured: x,
      ci: null,
      target: `within the stable segment (${before.length} runs, mean ${show(metric, t.meanBefore)})`,
      samples: requests,
      status: 'warn',
      marginal: false,
      note: `${what} ${step} ${at}; stable for the ${before.length} runs before${since ? ' that' : ''} (p = ${t.pValue.toPrecision(2)})`,
      test: { alpha, p: t.pValue, z: t.t, baselineValue: t.meanBefore, baselineSamples: before.length },
    });
  }
  return rows;
}

/** The verdict with the step rows and a line naming the baseline; the status only rises (pass → warn). */
export function withSteps(v: Verdict, auto: AutoBaseline, rows: readonly CriterionResult[]): Verdict {
  const verdict: Status = rows.length && v.verdict === 'pass' ? 'warn' : v.verdict;
  const first = auto.pooled[0]!;
  const reason = `baseline auto: ${auto.pooled.length} passing run(s) pooled, from ${first.startedAt}` +
    (auto.runsBefore ? ` (the stable segment since the last change point, after ${auto.runsBefore} earlier run(s))` : ' (no change point in the history)');
  return {
    ...v,
    verdict,
    exitCode: statusExitCode(verdict),
    reasons: [reason, ...v.reasons],
    counts: { ...v.counts, warn: v.counts.warn + rows.length },
    criteria: [...v.criteria, ...rows],
  };
}
