// Downsamples a per-second timeline so a 1-hour run charts like a 1-minute one: at most `maxPoints` buckets,
// rates averaged over each bucket, tail latencies and VUs kept at their maximum so no spike disappears.

import type { TimelinePoint } from '../result/schema.js';

/** One charted point: a bucket of consecutive seconds. */
export interface TimelineBucket {
  /** Seconds since the run's first timeline point, at the bucket's start. */
  elapsedS: number;
  /** Seconds (timeline points) merged into this bucket. */
  seconds: number;
  requestsPerS: number;
  errorsPerS: number;
  rateLimitedPerS: number;
  /** Highest VU count reported in the bucket. */
  vus: number;
  /** Request-weighted mean of the per-second medians. */
  p50Ms: number;
  /** Highest per-second P95 in the bucket (a spike must stay visible). */
  p95Ms: number;
  /** Highest per-second P99 in the bucket. */
  p99Ms: number;
}

export const MAX_TIMELINE_POINTS = 300;

/** Merges consecutive seconds into ≤ maxPoints buckets of equal width (the last may be shorter). */
export function downsampleTimeline(timeline: readonly TimelinePoint[], maxPoints = MAX_TIMELINE_POINTS): TimelineBucket[] {
  if (timeline.length === 0) return [];
  const width = Math.max(1, Math.ceil(timeline.length / Math.max(1, maxPoints)));
  const t0 = timeline[0]!.t;
  const out: TimelineBucket[] = [];
  for (let i = 0; i < timeline.length; i += width) {
    const part = timeline.slice(i, i + width);
    let requests = 0, errors = 0, limited = 0, vus = 0, p50w = 0, p95 = 0, p99 = 0;
    for (const p of part) {
      requests += p.requests;
      errors += p.errors;
      limited += p.rateLimited;
      vus = Math.max(vus, p.vus);
      p50w += p.p50Ms * p.requests;
      p95 = Math.max(p95, p.p95Ms);
      p99 = Math.max(p99, p.p99Ms);
    }
    // Seconds the bucket spans, from timestamps: a gap in the timeline (no samples) lowers the rate, as it should.
    const seconds = Math.max(part.length, part[part.length - 1]!.t - part[0]!.t + 1);
    out.push({
      elapsedS: part[0]!.t - t0,
      seconds,
      requestsPerS: requests / seconds,
      errorsPerS: errors / seconds,
      rateLimitedPerS: limited / seconds,
      vus,
      p50Ms: requests > 0 ? p50w / requests : 0,
      p95Ms: p95,
      p99Ms: p99,
    });
  }
  return out;
}
