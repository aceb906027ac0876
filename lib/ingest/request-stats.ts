// Running totals of HTTP requests for one endpoint (or all of them), turned into the result's RequestStats at the end.

import {
  createHistogram, encodeHistogram, maxMs, meanMs, mergeHistograms, minMs, percentileMs, type Histogram,
} from '../histogram.js';
import type { LatencySummary, RequestStats } from '../result/schema.js';

const STATUS_SLOTS = 1000;

export class RequestAccumulator {
  requests = 0;
  failed = 0;
  rateLimited = 0;
  /** Responses by status 0–999 (k6 reports 0 for network errors and timeouts). */
  readonly statuses = new Float64Array(STATUS_SLOTS);
  readonly hist: Histogram = createHistogram();

  status(code: number): void {
    if (code >= 0 && code < STATUS_SLOTS) this.statuses[code]!++;
  }
}

/** Percentiles are clamped to [min, max]: HDR reports a bucket's highest equivalent value, which can pass max. */
export function latencySummary(h: Histogram): LatencySummary {
  const min = minMs(h);
  const max = maxMs(h);
  const p = (q: number) => Math.min(max, Math.max(min, percentileMs(h, q)));
  return { min, mean: meanMs(h), p50: p(50), p90: p(90), p95: p(95), p99: p(99), p999: p(99.9), max };
}

/** The stats of one accumulator; errorRate is failed / requests exactly, as k6's http_req_failed rate. */
export function requestStats(a: RequestAccumulator, durationS: number, hist: Histogram = a.hist): RequestStats {
  const statusCodes: Record<string, number> = {};
  for (let i = 0; i < STATUS_SLOTS; i++) if (a.statuses[i]! > 0) statusCodes[String(i)] = a.statuses[i]!;
  return {
    requests: a.requests,
    failed: a.failed,
    errorRate: a.requests > 0 ? Math.min(1, a.failed / a.requests) : 0,
    rateLimited: a.rateLimited,
    throughputRps: durationS > 0 ? a.requests / durationS : 0,
    latencyMs: latencySummary(hist),
    statusCodes,
    histogram: encodeHistogram(hist),
  };
}

/** Totals over several accumulators (the overall line is the sum of the endpoints). */
export function sumAccumulators(parts: readonly RequestAccumulator[]): { total: RequestAccumulator; hist: Histogram } {
  const total = new RequestAccumulator();
  for (const p of parts) {
    total.requests += p.requests;
    total.failed += p.failed;
    total.rateLimited += p.rateLimited;
    for (let i = 0; i < STATUS_SLOTS; i++) total.statuses[i]! += p.statuses[i]!;
  }
  return { total, hist: mergeHistograms(parts.map((p) => p.hist)) };
}
