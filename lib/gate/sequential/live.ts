// The sequential gate fed live, for `run --gate --until-decided`: the run's observer hands it each second's counts
// per group (the whole run and, when the ingest keeps them, each endpoint), it says when to stop k6, and at the end
// it puts its decisions into the verdict as `gate --sequential` does. Pure: no clock, no process.

import { countAtOrAboveMs, type Histogram } from '../../histogram.js';
import type { RunResult } from '../../result/schema.js';
import type { Thresholds } from '../../thresholds/load.js';
import { OVERALL } from '../groups.js';
import type { Verdict } from '../schema.js';
import { applySequential } from './apply.js';
import { sequentialCriteria, type SequentialCriterion } from './criteria.js';
import { createSequentialMonitor, type CriterionCounts } from './monitor.js';
import type { Replay, SequencePoint } from './replay.js';

/** One group's second: its requests, failed requests, 429s, and latency histogram. */
export interface GroupSecond {
  readonly requests: number;
  readonly errors: number;
  readonly rateLimited: number;
  readonly histogram: Histogram;
}

export type StopReason = 'decided' | 'failed';

/** One criterion's sequence as it stands: its bounds on the share narrow towards a decision (a live view draws them). */
export interface LiveCriterion {
  readonly id: string;
  /** The share the criterion's limit stands for (0.05 for a P95) and the side it must hold on. */
  readonly share: number;
  readonly passWhen: 'below' | 'above';
  readonly gating: boolean;
  readonly decision: 'pass' | 'fail' | 'undecided';
  readonly decidedAtS: number | null;
  readonly lower: number;
  readonly upper: number;
  readonly requests: number;
}

export interface LiveGate {
  /** Feed one second after the ramp (`atS` from the run's first sample); returns why k6 should stop now, if it should
   *  (`minS`: no stop before it). Groups missing from `groups` count as a second without requests. */
  onSecond(atS: number, groups: ReadonlyMap<string, GroupSecond>): StopReason | undefined;
  /** Every criterion's sequence now, in the gate's order. */
  criteria(): readonly LiveCriterion[];
  /** The verdict with the sequence's decisions, once the run's result is in. */
  refine(v: Verdict, result: RunResult): Verdict;
}

export function createLiveGate(t: Thresholds, profile: string, endpoints: readonly string[], o: { alpha: number; minS?: number; fromS: number }): LiveGate {
  const criteria: SequentialCriterion[] = sequentialCriteria(t, profile, endpoints);
  const monitor = createSequentialMonitor(criteria, { alpha: o.alpha });
  const also429 = t.errorsAlsoCount.includes('429');
  const series: SequencePoint[][] = criteria.map(() => []);
  let seconds = 0;
  let requests = 0;
  const counts = (c: SequentialCriterion, g: GroupSecond | undefined): CriterionCounts => {
    if (!g || g.requests === 0) return { requests: 0, events: 0 };
    const events = c.thresholdMs !== undefined
      ? countAtOrAboveMs(g.histogram, c.thresholdMs, c.atOrAbove ?? true)
      : c.metric === 'rateLimitedRate' ? g.rateLimited : g.errors + (also429 ? g.rateLimited : 0);
    return { requests: g.requests, events: Math.min(g.requests, events) };
  };
  return {
    onSecond(atS, groups) {
      seconds++;
      requests += groups.get(OVERALL)?.requests ?? 0;
      const states = monitor.observe({ atS, counts: criteria.map((c) => counts(c, groups.get(c.group))) });
      states.forEach((s, i) => {
        if (s.dispersion !== undefined) series[i]!.push({ atS, lower: s.lower, upper: s.upper });
      });
      // A decided FAIL stops the run at once; a PASS waits for every gating criterion, and for the minimum duration.
      if (monitor.anyGatingFailed()) return 'failed';
      if (monitor.allGatingDecided() && atS >= (o.minS ?? 0)) return 'decided';
      return undefined;
    },
    criteria() {
      return monitor.states().map((s, i) => {
        const c = criteria[i]!;
        return { id: c.id, share: c.share, passWhen: c.passWhen, gating: c.gating, decision: s.decision, decidedAtS: s.decidedAtS, lower: s.lower, upper: s.upper, requests: s.n };
      });
    },
    refine(v, result) {
      const states = monitor.states();
      const seen = new Set(endpoints);
      const replay: Replay = {
        fromS: o.fromS,
        seconds,
        requestsPerS: seconds > 0 ? requests / seconds : 0,
        criteria: criteria.map((c, i) => ({
          criterion: c,
          state: states[i]!,
          series: series[i]!,
          ...(c.group !== OVERALL && !seen.has(c.group) ? { unjudged: 'no per-second counts of this endpoint were fed' } : {}),
        })),
      };
      return applySequential(v, result, replay, o.alpha, t.errorsAlsoCount);
    },
  };
}
