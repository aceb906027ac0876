// Merges the RequestStats of runners that ran at the same time: counts add, histograms merge, and every percentile
// is read again off the merged histogram (the whole test's percentile, never an average of the runners').

import { decodeHistogram, encodeHistogram, mergeHistograms, type Histogram } from '../histogram.js';
import { PHASES } from '../ingest/metrics.js';
import { byteStats, latencySummary, phaseOf } from '../ingest/request-stats.js';
import type { PhaseStats, RequestPhases, RequestStats } from '../result/schema.js';

export function mergeHistogramStrings(encoded: readonly string[]): Histogram {
  return mergeHistograms(encoded.map((e) => decodeHistogram(e)));
}

function addCounts(parts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  // Status codes in numeric order, as the ingest writes them.
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : 1)));
}

/**
 * The runners' timing phases merged: histograms merge exactly, the mean is the count-weighted one (each runner's
 * exact sum is its mean × its count). Kept only when every runner that sent requests kept its phases: a merge of
 * some runners' phases would describe only part of the requests.
 */
export function mergePhases(parts: readonly RequestStats[]): RequestPhases | undefined {
  const sending = parts.filter((p) => p.requests > 0 || p.phases !== undefined);
  if (sending.length === 0 || sending.some((p) => p.phases === undefined)) return undefined;
  const out = {} as Record<keyof RequestPhases, PhaseStats>;
  for (const [, key] of PHASES) {
    const ps = sending.map((p) => p.phases![key]);
    out[key] = phaseOf(mergeHistogramStrings(ps.map((x) => x.histogram)), ps.reduce((s, x) => s + x.meanMs * x.count, 0));
  }
  return out;
}

/** One RequestStats from several; throughput is the merged requests over the merged run's window. */
export function mergeRequestStats(parts: readonly RequestStats[], durationS: number): RequestStats {
  const requests = parts.reduce((s, p) => s + p.requests, 0);
  const failed = parts.reduce((s, p) => s + p.failed, 0);
  const hist = mergeHistogramStrings(parts.map((p) => p.histogram));
  const phases = mergePhases(parts);
  return {
    requests,
    failed,
    errorRate: requests > 0 ? Math.min(1, failed / requests) : 0,
    rateLimited: parts.reduce((s, p) => s + p.rateLimited, 0),
    throughputRps: durationS > 0 ? requests / durationS : 0,
    latencyMs: latencySummary(hist),
    statusCodes: addCounts(parts.map((p) => p.statusCodes)),
    histogram: encodeHistogram(hist),
    ...mergedBytes(parts, durationS),
    ...(phases ? { phases } : {}),
  };
}

/** Bytes add like counts; the rates are over the merged run's window. None when no runner counted any. */
function mergedBytes(parts: readonly RequestStats[], durationS: number): Pick<RequestStats, 'bytes'> {
  const counted = parts.filter((p) => p.bytes !== undefined);
  if (counted.length === 0) return {};
  return { bytes: byteStats(counted.reduce((s, p) => s + p.bytes!.sent, 0), counted.reduce((s, p) => s + p.bytes!.received, 0), durationS) };
}
