// Per-second request figures, handed to an observer as the ingest closes each second (`onSecond`): what a live
// watcher of a run sees, and the statistics of any window of whole seconds chosen from them.

import { buckets, decodeHistogram, mergeHistograms, percentileOfBuckets } from '../histogram.js';
import type { TimeWindow } from '../units.js';

export interface SecondStats {
  /** Epoch second. */
  t: number;
  requests: number;
  failed: number;
  /** 429 responses (expected statuses, not failures). */
  rateLimited: number;
  /** http_req_duration of the second's requests, exactly. */
  minMs: number;
  maxMs: number;
  /** Encoded HDR histogram (lib/histogram.ts) of the second's durations; "" when it had none. */
  histogram: string;
}

export interface WindowStats {
  requests: number;
  failed: number;
  errorRate: number;
  throughputRps: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

/** The figures of the seconds in [startMs, endMs) (whole seconds: a sample's second decides). */
export function windowStats(seconds: readonly SecondStats[], w: TimeWindow): WindowStats {
  const inside = seconds.filter((s) => s.t * 1000 >= w.startMs && s.t * 1000 < w.endMs);
  const requests = inside.reduce((a, s) => a + s.requests, 0);
  const failed = inside.reduce((a, s) => a + s.failed, 0);
  const withData = inside.filter((s) => s.histogram !== '');
  const bs = withData.length ? buckets(mergeHistograms(withData.map((s) => decodeHistogram(s.histogram)))) : [];
  const bounds = withData.length ? { min: Math.min(...withData.map((s) => s.minMs)), max: Math.max(...withData.map((s) => s.maxMs)) } : undefined;
  const p = (q: number) => percentileOfBuckets(bs, q, bounds);
  const span = (w.endMs - w.startMs) / 1000;
  return {
    requests,
    failed,
    errorRate: requests > 0 ? failed / requests : 0,
    throughputRps: span > 0 ? requests / span : 0,
    latencyMs: { p50: p(50), p95: p(95), p99: p(99) },
  };
}
