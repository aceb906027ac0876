// The steady window of one level: a ladder's percentiles must come from the plateau alone, not the ramp (low
// load) or the cool-down. Its statistics come from the run's per-second figures (lib/ingest/seconds.ts).

import type { TimelinePoint } from '../../result/schema.js';

export interface SteadyWindow {
  startMs: number;
  endMs: number;
}

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
