// Availability measured from the per-second timeline of result.json (pure): over the run and over each fault-plan
// event's window — availability, longest outage, time to recover, extra latency and the error budget. 429s are
// left out everywhere (a rate limit is the stack working as designed, not an outage).

import type { TimelinePoint } from '../result/schema.js';
import type { ErrorBudget, EventFigures, Figures, Resilience, ResilienceEvent, ResilienceSettings } from './schema.js';
import { RESILIENCE_SCHEMA } from './schema.js';

/** The document's figures: 99.9 % uptime, P95 < 300 ms, errors < 0.1 %; an outage second has < 99 % success. */
export const DEFAULT_SETTINGS: ResilienceSettings = {
  availabilityTarget: 0.999,
  outageBelow: 0.99,
  recoverHoldS: 5,
  p95TargetMs: 300,
  errorRateTarget: 0.001,
  beforeS: 10,
};

/** What the plan's runner recorded of one step (lib/chaos/runner.ts's ChaosEventRecord has this shape). */
export interface TakenEvent {
  readonly index: number;
  readonly action: string;
  readonly kind: string;
  readonly group?: string;
  readonly deploy: boolean;
  readonly plannedAtS: number;
  readonly startedAtMs: number | null;
  readonly endedAtMs: number | null;
  readonly outcome: 'ok' | 'failed' | 'skipped';
  readonly detail: string;
  readonly exec?: ResilienceEvent['exec'];
}

const served = (p: TimelinePoint) => p.requests - p.rateLimited;

/** 'empty' seconds carry no evidence either way (a closed model with think time has quiet seconds). */
export function secondState(p: TimelinePoint, s: ResilienceSettings): 'good' | 'bad' | 'empty' {
  const n = served(p);
  if (n <= 0) return 'empty';
  const errorsOk = p.errors === 0 || p.errors / n < s.errorRateTarget;
  return errorsOk && p.p95Ms < s.p95TargetMs ? 'good' : 'bad';
}

function isOutage(p: TimelinePoint, s: ResilienceSettings): boolean {
  const n = served(p);
  return n > 0 && (n - p.errors) / n < s.outageBelow;
}

/** Totals and the longest outage over some seconds; empty seconds inside an outage belong to it. */
export function figuresOf(points: readonly TimelinePoint[], s: ResilienceSettings): Figures {
  let requests = 0;
  let failed = 0;
  let failedSeconds = 0;
  let best = 0;
  let bestFrom: number | null = null;
  let from: number | null = null;
  let lastBad = 0;
  const close = () => {
    if (from !== null && lastBad - from + 1 > best) [best, bestFrom] = [lastBad - from + 1, from];
    from = null;
  };
  for (const p of points) {
    requests += served(p);
    failed += Math.min(p.errors, served(p));
    if (p.errors > 0) failedSeconds++;
    if (isOutage(p, s)) {
      from ??= p.t;
      lastBad = p.t;
    } else if (served(p) > 0) close();
  }
  close();
  return {
    requests, failed, availability: requests > 0 ? (requests - failed) / requests : null, failedSeconds,
    longestOutageS: best, longestOutageFromT: bestFrom,
  };
}

export function errorBudget(requests: number, failures: number, target: number): ErrorBudget {
  const allowed = (1 - target) * requests;
  return { target, allowedFailures: allowed, failures, remaining: allowed - failures, consumed: allowed > 0 ? failures / allowed : null };
}

/** First second at or after `fromT` that starts `hold` seconds none of which is bad; null when the run ends first. */
export function recoveredAt(points: readonly TimelinePoint[], fromT: number, s: ResilienceSettings): number | null {
  const start = points.findIndex((p) => p.t >= fromT);
  if (start < 0) return null;
  for (let i = start; i + s.recoverHoldS <= points.length; i++) {
    const held = points.slice(i, i + s.recoverHoldS);
    if (held.every((p) => secondState(p, s) !== 'bad')) return points[i]!.t;
  }
  return null;
}

/** Request-weighted mean of the per-second P95s (seconds with no requests left out); null with none. */
export function weightedP95(points: readonly TimelinePoint[]): number | null {
  let w = 0;
  let sum = 0;
  for (const p of points) if (p.requests > 0) (w += p.requests), (sum += p.p95Ms * p.requests);
  return w > 0 ? sum / w : null;
}

function eventOf(e: TakenEvent, points: readonly TimelinePoint[], k6StartedAtMs: number, s: ResilienceSettings): ResilienceEvent {
  const base = { ...e, atS: e.startedAtMs === null ? null : (e.startedAtMs - k6StartedAtMs) / 1000 };
  const lastT = points.at(-1)?.t;
  if (e.startedAtMs === null || lastT === undefined) return { ...base, window: null, figures: null };
  const fromT = Math.floor(e.startedAtMs / 1000);
  const endT = Math.floor((e.endedAtMs ?? e.startedAtMs) / 1000);
  const rec = recoveredAt(points, fromT, s);
  const toT = Math.min(lastT, Math.max(endT, (rec ?? lastT) + s.recoverHoldS - 1));
  const inWindow = points.filter((p) => p.t >= fromT && p.t <= toT);
  const before = points.filter((p) => p.t >= fromT - s.beforeS && p.t < fromT);
  const [pb, pd] = [weightedP95(before), weightedP95(inWindow)];
  const figures: EventFigures = {
    ...figuresOf(inWindow, s),
    recoverS: rec === null ? null : rec - fromT,
    p95BeforeMs: pb,
    p95DuringMs: pd,
    extraP95Ms: pb !== null && pd !== null ? pd - pb : null,
  };
  return { ...base, window: { fromT, toT }, figures };
}

export interface ResilienceInput {
  readonly timeline: readonly TimelinePoint[];
  readonly events: readonly TakenEvent[];
  readonly target: string;
  readonly k6StartedAtMs: number;
  readonly settings?: Partial<ResilienceSettings>;
}

export function analyzeResilience(i: ResilienceInput): Resilience {
  const settings: ResilienceSettings = { ...DEFAULT_SETTINGS, ...i.settings };
  const run = figuresOf(i.timeline, settings);
  return {
    schema: RESILIENCE_SCHEMA,
    target: i.target,
    k6StartedAtMs: i.k6StartedAtMs,
    settings,
    run: { ...run, errorBudget: errorBudget(run.requests, run.failed, settings.availabilityTarget) },
    events: i.events.map((e) => eventOf(e, i.timeline, i.k6StartedAtMs, settings)),
  };
}

/** Every run of consecutive outage seconds (empty seconds inside one belong to it), for shading on a chart. */
export function outageSpans(points: readonly TimelinePoint[], settings: Partial<ResilienceSettings> = {}): Array<{ fromT: number; toT: number }> {
  const s: ResilienceSettings = { ...DEFAULT_SETTINGS, ...settings };
  const spans: Array<{ fromT: number; toT: number }> = [];
  let from: number | null = null;
  let lastBad = 0;
  for (const p of points) {
    if (isOutage(p, s)) {
      from ??= p.t;
      lastBad = p.t;
    } else if (served(p) > 0 && from !== null) {
      spans.push({ fromT: from, toT: lastBad });
      from = null;
    }
  }
  if (from !== null) spans.push({ fromT: from, toT: lastBad });
  return spans;
}

/**
 * Failed requests attributed to events: each second's failures go to the latest event started at or before it
 * whose window holds it (windows overlap when events are close), the rest to `outside`. Sums to the run's failures.
 */
export function failuresByEvent(points: readonly TimelinePoint[], events: readonly ResilienceEvent[]): { byEvent: Map<number, number>; outside: number } {
  const byEvent = new Map<number, number>();
  let outside = 0;
  const windowed = events.filter((e) => e.window).sort((a, b) => b.window!.fromT - a.window!.fromT || b.index - a.index);
  for (const p of points) {
    const failed = Math.min(p.errors, served(p));
    if (failed === 0) continue;
    const e = windowed.find((x) => x.window!.fromT <= p.t && p.t <= x.window!.toT);
    if (e) byEvent.set(e.index, (byEvent.get(e.index) ?? 0) + failed);
    else outside += failed;
  }
  return { byEvent, outside };
}
