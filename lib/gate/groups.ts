// Merges one or more run results into per-group data (overall and each endpoint): counts summed, histograms
// merged through lib/histogram.ts, so several load generators or repeated runs are judged as one sample.

import { buckets, decodeHistogram, mergeHistograms, type Bounds, type Bucket } from '../histogram.js';
import type { RequestStats, RunResult } from '../result/schema.js';
import type { PerSecond } from '../units.js';

export const OVERALL = 'overall';

export interface GroupData {
  readonly name: string;
  readonly requests: number;
  /** k6's failed requests plus the statuses thresholds count as errors too. */
  readonly errors: number;
  readonly rateLimited: number;
  readonly throughputRps: PerSecond;
  readonly buckets: readonly Bucket[];
  /** The exact fastest and slowest requests (from the runs' latency summaries): percentiles are clamped to them. */
  readonly bounds?: Bounds;
}

/** Runs that overlap in time are parallel generators (their rates add); otherwise a run follows another. */
function overlapping(results: readonly RunResult[]): boolean {
  const spans = results.map((r) => [Date.parse(r.meta.startedAt), Date.parse(r.meta.endedAt)] as const).sort((a, b) => a[0] - b[0]);
  return spans.some((s, i) => i > 0 && s[0] < spans[i - 1]![1]);
}

function merge(name: string, parts: readonly { stats: RequestStats; durationS: number }[], alsoCount: readonly string[], parallel: boolean): GroupData {
  const requests = parts.reduce((s, p) => s + p.stats.requests, 0);
  const extra = (st: RequestStats) => alsoCount.reduce((s, code) => s + (st.statusCodes[code] ?? 0), 0);
  const duration = parts.reduce((s, p) => s + p.durationS, 0);
  const throughputRps = parallel || parts.length === 1
    ? parts.reduce((s, p) => s + p.stats.throughputRps, 0)
    : duration > 0 ? requests / duration : 0;
  const hs = parts.map((p) => decodeHistogram(p.stats.histogram));
  return {
    name,
    requests,
    errors: parts.reduce((s, p) => s + p.stats.failed + extra(p.stats), 0),
    rateLimited: parts.reduce((s, p) => s + p.stats.rateLimited, 0),
    throughputRps,
    buckets: buckets(hs.length === 1 ? hs[0]! : mergeHistograms(hs)),
    ...(requests > 0 ? { bounds: boundsOf(parts.filter((p) => p.stats.requests > 0).map((p) => p.stats)) } : {}),
  };
}

function boundsOf(stats: readonly RequestStats[]): Bounds {
  return { min: Math.min(...stats.map((s) => s.latencyMs.min)), max: Math.max(...stats.map((s) => s.latencyMs.max)) };
}

/** Overall first, then endpoints by name. */
export function groupsOf(results: readonly RunResult[], alsoCount: readonly string[]): GroupData[] {
  const parallel = overlapping(results);
  const overall = merge(OVERALL, results.map((r) => ({ stats: r.overall, durationS: r.meta.durationS })), alsoCount, parallel);
  const names = [...new Set(results.flatMap((r) => Object.keys(r.endpoints)))].sort();
  const endpoints = names.map((n) =>
    merge(
      n,
      results.flatMap((r) => (r.endpoints[n] ? [{ stats: r.endpoints[n], durationS: r.meta.durationS }] : [])),
      alsoCount,
      parallel,
    ),
  );
  return [overall, ...endpoints];
}
