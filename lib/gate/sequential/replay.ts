// `gate --sequential`: a stored run's per-second timeline replayed through the monitor as if it were live, from
// the end of the ramp, so any result.json (also one written before the sequential gate existed) can be judged
// this way. The timeline holds the whole run's seconds only, so endpoints' criteria are left undecided here.

import { countAtOrAboveMs, decodeHistogram } from '../../histogram.js';
import type { RunResult, TimelinePoint } from '../../result/schema.js';
import { OVERALL } from '../groups.js';
import type { SequentialCriterion } from './criteria.js';
import { createSequentialMonitor, type CriterionCounts, type CriterionState, type MonitorOptions } from './monitor.js';

/** One point of a criterion's sequence, for the report's chart. */
export interface SequencePoint {
  readonly atS: number;
  readonly lower: number;
  readonly upper: number;
}

export interface CriterionReplay {
  readonly criterion: SequentialCriterion;
  readonly state: CriterionState;
  /** Why the sequence could not judge it from this run's timeline (undefined when it did). */
  readonly unjudged?: string;
  readonly series: readonly SequencePoint[];
}

export interface Replay {
  /** The second (since the run's first sample) the sequence started at: the end of the ramp. */
  readonly fromS: number;
  /** Seconds replayed, and the observed request rate over them. */
  readonly seconds: number;
  readonly requestsPerS: number;
  readonly criteria: readonly CriterionReplay[];
}

/** The end of the ramp: the first second the active VUs reach their peak. */
export function rampEndIndex(timeline: readonly TimelinePoint[]): number {
  const peak = timeline.reduce((m, p) => Math.max(m, p.vus), 0);
  const i = timeline.findIndex((p) => p.vus >= peak);
  return i < 0 ? 0 : i;
}

/** Requests of a second that took `thresholdMs` or longer (`atOrAbove`), or longer, read off its histogram: exact
 *  to the histogram's 3 significant digits. */
export function slowCount(histogram: string, thresholdMs: number, atOrAbove: boolean): number {
  return countAtOrAboveMs(decodeHistogram(histogram), thresholdMs, atOrAbove);
}

function countsOf(p: TimelinePoint, c: SequentialCriterion, errorsAlsoCount429: boolean): CriterionCounts {
  if (c.thresholdMs !== undefined) {
    return { requests: p.requests, events: p.histogram && p.requests > 0 ? Math.min(p.requests, slowCount(p.histogram, c.thresholdMs, c.atOrAbove ?? true)) : 0 };
  }
  const events = c.metric === 'rateLimitedRate' ? p.rateLimited : p.errors + (errorsAlsoCount429 ? p.rateLimited : 0);
  return { requests: p.requests, events: Math.min(p.requests, events) };
}

export function replaySequential(
  result: RunResult,
  criteria: readonly SequentialCriterion[],
  options: MonitorOptions & { readonly errorsAlsoCount?: readonly string[] } = {},
): Replay {
  const timeline = result.timeline;
  const start = rampEndIndex(timeline);
  const t0 = timeline[0]?.t ?? 0;
  const withoutHistograms = timeline.slice(start).some((p) => p.requests > 0 && !p.histogram);
  const why = (c: SequentialCriterion): string | undefined =>
    c.group !== OVERALL
      ? "the stored timeline has the whole run's seconds, not each endpoint's"
      : c.thresholdMs !== undefined && withoutHistograms
        ? 'this run\'s timeline has no per-second histograms (written before they were kept)'
        : undefined;
  const judged = criteria.filter((c) => why(c) === undefined);
  const monitor = createSequentialMonitor(judged, options);
  const also429 = (options.errorsAlsoCount ?? []).includes('429');
  const series: SequencePoint[][] = judged.map(() => []);
  let requests = 0;
  for (const p of timeline.slice(start)) {
    const atS = p.t - t0;
    requests += p.requests;
    const states = monitor.observe({ atS, counts: judged.map((c) => countsOf(p, c, also429)) });
    states.forEach((s, i) => {
      if (s.dispersion !== undefined) series[i]!.push({ atS, lower: s.lower, upper: s.upper });
    });
  }
  const states = monitor.states();
  const seconds = Math.max(0, timeline.length - start);
  return {
    fromS: timeline[start] ? timeline[start]!.t - t0 : 0,
    seconds,
    requestsPerS: seconds > 0 ? requests / seconds : 0,
    criteria: criteria.map((c) => {
      const j = judged.indexOf(c);
      if (j < 0) return { criterion: c, state: { decision: 'undecided', decidedAtS: null, lower: 0, upper: 1, n: 0, events: 0, dispersion: undefined, seconds: 0 }, unjudged: why(c)!, series: [] };
      return { criterion: c, state: states[j]!, series: series[j]! };
    }),
  };
}
