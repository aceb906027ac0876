// The steady window of one level: a ladder's percentiles must come from the plateau alone, not the ramp (low
// load) or the cool-down. Its statistics come from the run's per-second figures (lib/ingest/seconds.ts).

import { ingestK6Output } from '../../ingest/ingest.js';
import { mergeRequestStats } from '../../merge/request-stats.js';
import type { TimelinePoint } from '../../result/schema.js';
import type { TimeWindow } from '../../units.js';

/** One declaration of a time window, lib/units.ts. */
export type SteadyWindow = TimeWindow;

/**
 * From the run's per-second timeline: the seconds at the peak VU count, less a settling margin at the start
 * (logins and connection set-up of the last VUs to arrive). Null when the peak was never held for 2 seconds.
 */
export function steadyWindow(timeline: readonly TimelinePoint[], settleS = 3): SteadyWindow | null {
  const peak = Math.max(0, ...timeline.map((p) => p.vus));
  if (peak === 0) return null;
  const atPeak = timeline.filter((p) => p.vus >= peak);
  const first = atPeak[0]!.t, last = atPeak[atPeak.length - 1]!.t;
  const held = last - first + 1;
  if (held < 2) return null;
  const settle = Math.min(settleS, Math.floor(held / 4));
  return { startMs: (first + settle) * 1000, endMs: (last + 1) * 1000 };
}

export interface SteadyStats {
  requests: number;
  failed: number;
  throughputRps: number;
  latencyMs: { p50: number; p95: number; p99: number };
  errorRate: number;
}

/** The level's statistics inside the window, by the same streaming ingestion as every run (one k6-output parser). */
export async function steadyStats(k6Output: string | readonly string[], w: SteadyWindow): Promise<SteadyStats> {
  const seconds = (w.endMs - w.startMs) / 1000;
  // A level run as several runners (`--segments`): each raw output in the window, merged (lib/merge).
  const files = typeof k6Output === 'string' ? [k6Output] : k6Output;
  const parts = await Promise.all(files.map(async (f) => (await ingestK6Output(f, { source: 'run' }, { window: w })).overall));
  const overall = parts.length === 1 ? parts[0]! : mergeRequestStats(parts, seconds);
  return {
    requests: overall.requests,
    failed: overall.failed,
    throughputRps: seconds > 0 ? overall.requests / seconds : 0,
    latencyMs: { p50: overall.latencyMs.p50, p95: overall.latencyMs.p95, p99: overall.latencyMs.p99 },
    errorRate: overall.errorRate,
  };
}
