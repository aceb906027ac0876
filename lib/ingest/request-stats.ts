// Running totals of HTTP requests for one endpoint (or all of them), turned into the result's RequestStats at the end.

import {
  buckets, createHistogram, encodeHistogram, maxMs, meanMs, mergeHistograms, minMs, percentileOfBuckets, recordMs, type Histogram,
} from '../histogram.js';
import type { ByteStats, LatencySummary, PhaseStats, RequestPhases, RequestStats } from '../result/schema.js';
import { PHASES } from './metrics.js';

const STATUS_SLOTS = 1000;

export class RequestAccumulator {
  requests = 0;
  failed = 0;
  rateLimited = 0;
  /** Responses by status 0–999 (k6 reports 0 for network errors and timeouts). */
  readonly statuses = new Float64Array(STATUS_SLOTS);
  readonly hist: Histogram = createHistogram();
  /** http_req_duration exactly (the histogram holds 3 digits): k6's avg, min and max are exact, and so are ours. */
  durationSum = 0;
  durationMin = Infinity;
  durationMax = -Infinity;
  /** k6's timing phases (PHASES' order), created on the first sample: output without them keeps none. */
  phaseHists: Histogram[] | undefined;
  readonly phaseSums = new Float64Array(PHASES.length);
  /** Body bytes the script counted (scenarios/config.ts's BYTE_KEYS); `byteSamples` 0: none seen, no `bytes`. */
  bytesSent = 0;
  bytesReceived = 0;
  byteSamples = 0;

  bytes(sent: number, received: number): void {
    this.bytesSent += sent;
    this.bytesReceived += received;
    this.byteSamples++;
  }

  phase(i: number, ms: number): void {
    recordMs((this.phaseHists ??= PHASES.map(() => createHistogram()))[i]!, ms);
    this.phaseSums[i]! += ms;
  }

  duration(ms: number): void {
    recordMs(this.hist, ms);
    this.durationSum += ms;
    if (ms < this.durationMin) this.durationMin = ms;
    if (ms > this.durationMax) this.durationMax = ms;
  }

  status(code: number): void {
    if (code >= 0 && code < STATUS_SLOTS) this.statuses[code]!++;
  }
}

/** Exact sum, min and max of the values a histogram holds, when they were tracked. */
export interface ExactMoments {
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** Percentiles by k6's definition (lib/histogram.ts), clamped to [min, max]; mean, min and max exact when known. */
export function latencySummary(h: Histogram, exact?: ExactMoments): LatencySummary {
  const known = exact !== undefined && h.totalCount > 0 && exact.min <= exact.max;
  const min = known ? Math.max(0, exact.min) : minMs(h);
  const max = known ? Math.max(0, exact.max) : maxMs(h);
  const bs = buckets(h);
  const p = (q: number) => percentileOfBuckets(bs, q, { min, max });
  const mean = known ? Math.max(0, exact.sum / h.totalCount) : meanMs(h);
  return { min, mean, p50: p(50), p90: p(90), p95: p(95), p99: p(99), p999: p(99.9), max };
}

function momentsOf(a: RequestAccumulator): ExactMoments {
  return { sum: a.durationSum, min: a.durationMin, max: a.durationMax };
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
    latencyMs: latencySummary(hist, momentsOf(a)),
    statusCodes,
    histogram: encodeHistogram(hist),
    ...(a.phaseHists ? { phases: phaseStats(a.phaseHists, a.phaseSums) } : {}),
    ...(a.byteSamples > 0 ? { bytes: byteStats(a.bytesSent, a.bytesReceived, durationS) } : {}),
  };
}

/** Bytes and their rates over the run's (or window's) duration; the one place their per-second figure is made. */
export function byteStats(sent: number, received: number, durationS: number): ByteStats {
  return { sent, received, sentPerS: durationS > 0 ? sent / durationS : 0, receivedPerS: durationS > 0 ? received / durationS : 0 };
}

/** One phase's stats from its histogram and the exact sum of its values: the one reading the ingest and the merge share. */
export function phaseOf(h: Histogram, sum: number): PhaseStats {
  const n = h.totalCount;
  return { count: n, meanMs: n > 0 ? Math.max(0, sum / n) : 0, p95Ms: percentileOfBuckets(buckets(h), 95), histogram: encodeHistogram(h) };
}

/** Each phase's exact mean and its P95 (k6's percentile definition), with its histogram for merging and any p(N). */
function phaseStats(hists: readonly Histogram[], sums: Float64Array): RequestPhases {
  const out = {} as Record<keyof RequestPhases, PhaseStats>;
  PHASES.forEach(([, key], i) => {
    out[key] = phaseOf(hists[i]!, sums[i]!);
  });
  return out;
}

/** Totals over several accumulators (the overall line is the sum of the endpoints). */
export function sumAccumulators(parts: readonly RequestAccumulator[]): { total: RequestAccumulator; hist: Histogram } {
  const total = new RequestAccumulator();
  for (const p of parts) {
    total.requests += p.requests;
    total.failed += p.failed;
    total.rateLimited += p.rateLimited;
    total.durationSum += p.durationSum;
    total.durationMin = Math.min(total.durationMin, p.durationMin);
    total.durationMax = Math.max(total.durationMax, p.durationMax);
    total.bytesSent += p.bytesSent;
    total.bytesReceived += p.bytesReceived;
    total.byteSamples += p.byteSamples;
    for (let i = 0; i < STATUS_SLOTS; i++) total.statuses[i]! += p.statuses[i]!;
    if (p.phaseHists) {
      total.phaseHists ??= PHASES.map(() => createHistogram());
      for (let i = 0; i < PHASES.length; i++) {
        total.phaseHists[i]!.add(p.phaseHists[i]!);
        total.phaseSums[i]! += p.phaseSums[i]!;
      }
    }
  }
  return { total, hist: mergeHistograms(parts.map((p) => p.hist)) };
}
