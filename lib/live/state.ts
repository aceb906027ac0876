// What the live view of a run knows, and how each thing the run tells it changes that: the seconds the ingest closes,
// the sequential gate's sequences, fault events, Prometheus's merged P95 and the run's end. Pure: a reducer over
// events, bounded in memory (only the last LIVE_SECONDS seconds are kept for the charts).

import { decodeHistogram, percentilesMs } from '../histogram.js';
import type { SecondStats } from '../ingest/seconds.js';
import type { LiveCriterion } from '../gate/sequential/live.js';

/** Seconds the charts keep: five minutes of a soak, in bounded memory. */
export const LIVE_SECONDS = 300;

/** One closed second as the page draws it. */
export interface LiveSecond {
  /** Epoch second. */
  readonly t: number;
  readonly requests: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly vus: number;
}

/** A fault plan's step as it was taken. */
export interface LiveFault {
  readonly index: number;
  readonly action: string;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly outcome: 'ok' | 'failed' | 'skipped';
  readonly detail: string;
}

/** A sequence's bounds at one second (its narrowing, drawn). */
export interface BoundsAt {
  readonly t: number;
  readonly lower: number;
  readonly upper: number;
}

/** Prometheus's P95 of every runner's native histograms summed, and when it was read. */
export interface MergedP95 {
  readonly atMs: number;
  readonly p95Ms: number;
  readonly query: string;
}

/** Where the run's record is, once it is written. */
export interface LiveEnd {
  /** Absolute paths. */
  readonly result: string;
  readonly verdict?: string;
  /** The run's report (HTML), written before the end is announced. */
  readonly report?: string;
  /** The one-line outcome ("complete: 1234 requests, P95 12 ms"; "verdict PASS"). */
  readonly summary: string;
}

export interface LiveState {
  readonly title: string;
  readonly seconds: readonly LiveSecond[];
  /** Every second's requests and failures, not only the kept ones. */
  readonly requests: number;
  readonly failed: number;
  /** The run's first closed second (epoch s): where the charts' time starts. */
  readonly t0?: number;
  readonly gate?: readonly LiveCriterion[];
  /** Each criterion's bounds, second by second (as `seconds`, the last LIVE_SECONDS). */
  readonly gateBounds?: Readonly<Record<string, readonly BoundsAt[]>>;
  readonly faults: readonly LiveFault[];
  readonly merged?: MergedP95;
  readonly end?: LiveEnd;
}

export type LiveEvent =
  | { readonly kind: 'second'; readonly second: SecondStats }
  | { readonly kind: 'gate'; readonly t: number; readonly criteria: readonly LiveCriterion[] }
  | { readonly kind: 'fault'; readonly fault: LiveFault }
  | { readonly kind: 'merged'; readonly merged: MergedP95 }
  | { readonly kind: 'end'; readonly end: LiveEnd };

export function initialLiveState(title: string): LiveState {
  return { title, seconds: [], requests: 0, failed: 0, faults: [] };
}

/** A second's figures: its percentiles read from its histogram, k6's way (clamped to the exact extremes). */
export function liveSecond(s: SecondStats): LiveSecond {
  const [p50, p95, p99] = s.histogram === ''
    ? [0, 0, 0]
    : percentilesMs(decodeHistogram(s.histogram), [50, 95, 99], { min: s.minMs, max: s.maxMs });
  return { t: s.t, requests: s.requests, failed: s.failed, p50Ms: p50!, p95Ms: p95!, p99Ms: p99!, vus: s.vus ?? 0 };
}

const keep = <T>(xs: readonly T[], x: T): T[] => [...xs.slice(Math.max(0, xs.length - LIVE_SECONDS + 1)), x];

export function applyLive(state: LiveState, e: LiveEvent): LiveState {
  switch (e.kind) {
    case 'second': {
      const s = liveSecond(e.second);
      return { ...state, t0: state.t0 ?? s.t, seconds: keep(state.seconds, s), requests: state.requests + s.requests, failed: state.failed + s.failed };
    }
    case 'gate': {
      const bounds: Record<string, readonly BoundsAt[]> = { ...state.gateBounds };
      for (const c of e.criteria) bounds[c.id] = keep(bounds[c.id] ?? [], { t: e.t, lower: c.lower, upper: c.upper });
      return { ...state, gate: e.criteria, gateBounds: bounds };
    }
    case 'fault':
      return { ...state, faults: [...state.faults, e.fault] };
    case 'merged':
      return { ...state, merged: e.merged };
    case 'end':
      return { ...state, end: e.end };
  }
}
