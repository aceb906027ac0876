// The sequential gate's monitor: fed one second's counts per criterion at a time, it keeps each criterion's
// confidence sequence and decides it the first second the sequence leaves the target's side: PASS when the upper
// bound is below the target's share, FAIL when the lower bound is above it (for a "<" criterion; the other way for
// ">"). A decision, once reached, stands: the guarantee is that the chance of ever reaching a wrong one is at most α.
// Before the sequence can decide, one early look (lib/gate/sequential/look.ts) may decide a FAIL that no
// dependence between requests could explain.
// Pure: `run --until-decided` feeds it live, `gate --sequential` replays a stored timeline through it.

import type { SequentialCriterion } from './criteria.js';
import { DEFAULT_BATCH_S, multiScaleDispersion, type Batch } from './dispersion.js';
import { LOOK_S, lookFails, sequenceAlpha } from './look.js';
import { logMixture, mixtureInterval } from './mixture.js';

export type Decision = 'pass' | 'fail' | 'undecided';

export interface MonitorOptions {
  /** The chance of ever deciding wrongly, per criterion (default 0.05). */
  readonly alpha?: number;
  /** Seconds per batch the overdispersion is measured on (default 10). */
  readonly batchS?: number;
}

/** One second's counts for one criterion: its requests, and the events among them (slow or failed requests). */
export interface CriterionCounts {
  readonly requests: number;
  readonly events: number;
}

export interface SecondObservation {
  /** Seconds since the run's first sample. */
  readonly atS: number;
  /** One entry per criterion, in the monitor's criteria order. */
  readonly counts: readonly CriterionCounts[];
}

export interface CriterionState {
  readonly decision: Decision;
  /** The second (since the run's first sample) the decision was reached; null while undecided. */
  readonly decidedAtS: number | null;
  /** The confidence sequence's current bounds on the share (0 and 1 before there is enough to say more). */
  readonly lower: number;
  readonly upper: number;
  /** Requests and events seen so far. */
  readonly n: number;
  readonly events: number;
  /** The overdispersion the counts are divided by (undefined until it has been measured, see firstDecisionS). */
  readonly dispersion: number | undefined;
  /** Seconds observed. */
  readonly seconds: number;
}

export interface SequentialMonitor {
  readonly criteria: readonly SequentialCriterion[];
  readonly alpha: number;
  observe(second: SecondObservation): readonly CriterionState[];
  states(): readonly CriterionState[];
  allGatingDecided(): boolean;
  anyGatingFailed(): boolean;
}

interface Track {
  n: number;
  k: number;
  /** Every second's counts: the batches of every length are cut from them. */
  perSecond: Batch[];
  phi: number | undefined;
  /** The α its sequence judges at (what the early look leaves). */
  alpha: number;
  state: CriterionState;
}

const UNDECIDED: CriterionState = { decision: 'undecided', decidedAtS: null, lower: 0, upper: 1, n: 0, events: 0, dispersion: undefined, seconds: 0 };

export function createSequentialMonitor(criteria: readonly SequentialCriterion[], options: MonitorOptions = {}): SequentialMonitor {
  const alpha = options.alpha ?? 0.05;
  const batchS = options.batchS ?? DEFAULT_BATCH_S;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(Number.isInteger(batchS) && batchS >= 1)) throw new RangeError(`batchS must be a whole number of seconds ≥ 1, got ${batchS}`);
  const tracks: Track[] = criteria.map((c) => ({ n: 0, k: 0, perSecond: [], phi: undefined, alpha: sequenceAlpha(c, alpha), state: UNDECIDED }));
  let seconds = 0;

  function step(c: SequentialCriterion, tr: Track, counts: CriterionCounts, atS: number, closeBatch: boolean): CriterionState {
    tr.n += counts.requests;
    tr.k += counts.events;
    tr.perSecond.push({ requests: counts.requests, events: counts.events });
    if (closeBatch) tr.phi = multiScaleDispersion(tr.perSecond, batchS);
    const prev = tr.state;
    if (seconds === LOOK_S && prev.decision === 'undecided' && lookFails(c, alpha, tr.n, tr.k)) {
      return { ...prev, decision: 'fail', decidedAtS: atS, n: tr.n, events: tr.k, seconds, dispersion: tr.phi };
    }
    if (tr.phi === undefined || !Number.isFinite(tr.phi)) return { ...prev, n: tr.n, events: tr.k, seconds, dispersion: tr.phi };
    const n = tr.n / tr.phi;
    const k = tr.k / tr.phi;
    const { lower, upper } = mixtureInterval(k, n, tr.alpha);
    let decision = prev.decision;
    let decidedAtS = prev.decidedAtS;
    if (decision === 'undecided') {
      // The share is outside the sequence exactly when the evidence against it reaches ln(1/α).
      const outside = logMixture(k, n, c.share) >= Math.log(1 / tr.alpha);
      const below = upper < c.share || (outside && k / n < c.share);
      const above = lower > c.share || (outside && k / n > c.share);
      if (below || above) {
        decision = below === (c.passWhen === 'below') ? 'pass' : 'fail';
        decidedAtS = atS;
      }
    }
    return { decision, decidedAtS, lower, upper, n: tr.n, events: tr.k, dispersion: tr.phi, seconds };
  }

  const monitor: SequentialMonitor = {
    criteria,
    alpha,
    observe(second) {
      if (second.counts.length !== criteria.length) throw new RangeError(`observe: ${second.counts.length} counts for ${criteria.length} criteria`);
      seconds++;
      const closeBatch = seconds % batchS === 0;
      criteria.forEach((c, i) => {
        const counts = second.counts[i]!;
        if (!(counts.events >= 0 && counts.events <= counts.requests)) throw new RangeError(`observe: ${c.id}: ${counts.events} events in ${counts.requests} requests`);
        tracks[i]!.state = step(c, tracks[i]!, counts, second.atS, closeBatch);
      });
      return monitor.states();
    },
    states: () => tracks.map((t) => t.state),
    // With no gating criterion there is nothing to wait for, and nothing to stop a run early for.
    allGatingDecided: () => criteria.some((c) => c.gating) && criteria.every((c, i) => !c.gating || tracks[i]!.state.decision !== 'undecided'),
    anyGatingFailed: () => criteria.some((c, i) => c.gating && tracks[i]!.state.decision === 'fail'),
  };
  return monitor;
}
