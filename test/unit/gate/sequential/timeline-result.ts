// Test helper: a valid RunResult whose timeline holds per-second histograms, for replaying through the sequential gate.

import { createHistogram, encodeHistogram, mergeHistograms, recordMs, type Histogram } from '../../../../lib/histogram.js';
import type { RunResult, TimelinePoint } from '../../../../lib/result/schema.js';
import { makeRunResult } from '../make-result.js';

export interface SecondSpec {
  readonly requests: number;
  /** Latency of request i in this second, ms. */
  readonly latencyMs: (i: number) => number;
  readonly errors: number;
  readonly vus: number;
}

/** `seconds` seconds from 2026-01-01T00:00:00Z; the totals are the timeline's; `histograms: false` drops the
 *  per-second histograms, as runs written before they were kept. */
export function timelineResult(seconds: readonly SecondSpec[], histograms = true): RunResult {
  const base = makeRunResult({ seed: 1, endpoints: { 'GET /a': { n: 1, latency: () => 1 } }, durationS: seconds.length });
  const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
  const hs: Histogram[] = [];
  const timeline: TimelinePoint[] = seconds.map((s, i) => {
    const h = createHistogram();
    for (let r = 0; r < s.requests; r++) recordMs(h, s.latencyMs(r));
    hs.push(h);
    return {
      t: t0 + i, requests: s.requests, errors: s.errors, rateLimited: 0, vus: s.vus, p50Ms: 0, p95Ms: 0, p99Ms: 0,
      ...(histograms ? { histogram: encodeHistogram(h) } : {}),
    };
  });
  const requests = seconds.reduce((n, s) => n + s.requests, 0);
  const failed = seconds.reduce((n, s) => n + s.errors, 0);
  const overall = { ...base.overall, requests, failed, errorRate: requests ? failed / requests : 0, throughputRps: requests / seconds.length, histogram: encodeHistogram(mergeHistograms(hs)), statusCodes: { '200': requests - failed, '500': failed } };
  return { ...base, overall, endpoints: { 'GET /a': overall }, timeline };
}

/** A steady run: `rampS` seconds climbing to 50 VUs, then `steadyS` at 50, `rps` requests a second. */
export function steadyRun(o: { rampS: number; steadyS: number; rps: number; latencyMs: (i: number) => number; errorsPerS?: number }, histograms = true): RunResult {
  const spec = (vus: number): SecondSpec => ({ requests: o.rps, latencyMs: o.latencyMs, errors: o.errorsPerS ?? 0, vus });
  return timelineResult([
    ...Array.from({ length: o.rampS }, (_, i) => spec(Math.round((50 * (i + 1)) / (o.rampS + 1)))),
    ...Array.from({ length: o.steadyS }, () => spec(50)),
  ], histograms);
}
