// Runners' live seconds joined into the whole run's, for a watcher of a run split over several k6 runners (the
// sequential gate of `run --segments N --until-decided`): a second is handed on once every runner has closed it or
// a later one, its counts added and its histograms merged, so the watcher judges all runners' requests together.

import { encodeHistogram } from '../histogram.js';
import type { SecondStats } from '../ingest/seconds.js';
import { mergeHistogramStrings } from './request-stats.js';

/** One epoch second of several runners as one: counts add, extremes widen, histograms merge (exactly). */
export function mergeSeconds(parts: readonly SecondStats[]): SecondStats {
  const withRequests = parts.filter((p) => p.requests > 0);
  const histograms = parts.map((p) => p.histogram).filter((h) => h !== '');
  return {
    t: parts[0]!.t,
    requests: parts.reduce((n, p) => n + p.requests, 0),
    failed: parts.reduce((n, p) => n + p.failed, 0),
    rateLimited: parts.reduce((n, p) => n + p.rateLimited, 0),
    minMs: withRequests.length ? Math.min(...withRequests.map((p) => p.minMs)) : 0,
    maxMs: withRequests.length ? Math.max(...withRequests.map((p) => p.maxMs)) : 0,
    histogram: histograms.length ? encodeHistogram(mergeHistogramStrings(histograms)) : '',
    // Each runner's own VUs add up (a runner with no part in the second is not counted).
    ...(parts.some((p) => p.vus !== undefined) ? { vus: parts.reduce((n, p) => n + (p.vus ?? 0), 0) } : {}),
  };
}

export interface SecondsJoin {
  /** Runner `i` closed second `s` (each runner in time order); returns the whole run's seconds now complete, in
   *  time order. */
  push(i: number, s: SecondStats): SecondStats[];
}

export function joinSeconds(runners: number): SecondsJoin {
  const last: number[] = Array.from({ length: runners }, () => -Infinity);
  const pending = new Map<number, SecondStats[]>();
  return {
    push(i, s) {
      last[i] = s.t;
      pending.set(s.t, [...(pending.get(s.t) ?? []), s]);
      // A runner that has closed a later second will not close this one again: every second up to the slowest
      // runner's last is complete (a runner without requests in it simply has no part in it).
      const upTo = Math.min(...last);
      const ready = [...pending.keys()].filter((t) => t <= upTo).sort((a, b) => a - b);
      return ready.map((t) => {
        const parts = pending.get(t)!;
        pending.delete(t);
        return mergeSeconds(parts);
      });
    },
  };
}
