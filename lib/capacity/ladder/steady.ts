// The steady window of one level and its request statistics, read from the level's raw k6 output: a ladder's
// percentiles must come from the plateau alone, not the ramp (low load) or the cool-down.

import { createHistogram, percentileMs, recordMs } from '../../histogram.js';
import { forEachLine } from '../../ingest/lines.js';
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

export interface SteadyStats {
  requests: number;
  failed: number;
  throughputRps: number;
  latencyMs: { p50: number; p95: number; p99: number };
  errorRate: number;
}

const WANTED = ['"http_req_duration"', '"http_reqs"', '"http_req_failed"'];

/** Streams the k6 JSON output and keeps Points inside the window (k6 v2 writes "metric" first; older k6 last). */
export async function steadyStats(k6Output: string, w: SteadyWindow): Promise<SteadyStats> {
  const hist = createHistogram();
  let requests = 0, failed = 0;
  await forEachLine(k6Output, (buf, start, end) => {
    const line = buf.toString('utf8', start, end);
    if (!line.includes('"Point"') || !WANTED.some((m) => line.includes(m))) return;
    let p: { metric?: string; type?: string; data?: { time?: string; value?: number } };
    try {
      p = JSON.parse(line) as typeof p;
    } catch {
      return; // garbled line: ingest counts these; here it is simply not a sample
    }
    if (p.type !== 'Point' || !p.data?.time || typeof p.data.value !== 'number') return;
    const t = Date.parse(p.data.time);
    if (!(t >= w.startMs && t < w.endMs)) return;
    if (p.metric === 'http_req_duration') recordMs(hist, p.data.value);
    else if (p.metric === 'http_reqs') requests += p.data.value;
    else if (p.metric === 'http_req_failed') failed += p.data.value;
  });
  const seconds = (w.endMs - w.startMs) / 1000;
  return {
    requests,
    failed,
    throughputRps: seconds > 0 ? requests / seconds : 0,
    latencyMs: { p50: percentileMs(hist, 50), p95: percentileMs(hist, 95), p99: percentileMs(hist, 99) },
    errorRate: requests > 0 ? Math.min(1, failed / requests) : 0,
  };
}
