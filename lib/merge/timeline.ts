// Adds runners' per-second timelines second by second (epoch seconds line them up, whatever each runner's start).

import { encodeHistogram, percentileMs } from '../histogram.js';
import type { TimelinePoint } from '../result/schema.js';
import { mergeHistogramStrings } from './request-stats.js';

/** A runner's VUs at second t: its point's, and 0 before its first second or after its last (it was not running). */
function vusAt(points: readonly TimelinePoint[], byT: Map<number, TimelinePoint>, t: number): number {
  const p = byT.get(t);
  if (p !== undefined) return p.vus;
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined || t < first.t || t > last.t) return 0;
  // A gap inside a runner's timeline (the ingest fills them, so only a hand-made file has one): carry its last count.
  let prev = 0;
  for (const q of points) {
    if (q.t > t) break;
    prev = q.vus;
  }
  return prev;
}

/**
 * Requests, errors, 429s and VUs add; the second's percentiles come from the merged per-second histograms. A point
 * without a histogram (a result written before they were kept) makes that second's percentiles the highest
 * runner's: an upper bound, not the exact value.
 */
export function mergeTimelines(timelines: readonly (readonly TimelinePoint[])[]): TimelinePoint[] {
  const nonEmpty = timelines.filter((t) => t.length > 0);
  if (nonEmpty.length === 0) return [];
  const maps = nonEmpty.map((tl) => new Map(tl.map((p) => [p.t, p])));
  const lo = Math.min(...nonEmpty.map((tl) => tl[0]!.t));
  const hi = Math.max(...nonEmpty.map((tl) => tl.at(-1)!.t));
  const out: TimelinePoint[] = [];
  for (let t = lo; t <= hi; t++) {
    const here = maps.map((m) => m.get(t)).filter((p): p is TimelinePoint => p !== undefined);
    const point: TimelinePoint = {
      t,
      requests: 0,
      errors: 0,
      rateLimited: 0,
      vus: nonEmpty.reduce((s, tl, i) => s + vusAt(tl, maps[i]!, t), 0),
      p95Ms: 0,
      p99Ms: 0,
      p50Ms: 0,
    };
    for (const p of here) {
      point.requests += p.requests;
      point.errors += p.errors;
      point.rateLimited += p.rateLimited;
    }
    const measured = here.filter((p) => p.requests > 0 || p.histogram !== undefined);
    if (measured.length > 0 && measured.every((p) => p.histogram !== undefined)) {
      const h = mergeHistogramStrings(measured.map((p) => p.histogram!));
      if (h.totalCount > 0) {
        point.p50Ms = percentileMs(h, 50);
        point.p95Ms = percentileMs(h, 95);
        point.p99Ms = percentileMs(h, 99);
        point.histogram = encodeHistogram(h);
      }
    } else if (measured.length > 0) {
      point.p50Ms = Math.max(...measured.map((p) => p.p50Ms));
      point.p95Ms = Math.max(...measured.map((p) => p.p95Ms));
      point.p99Ms = Math.max(...measured.map((p) => p.p99Ms));
    }
    out.push(point);
  }
  return out;
}
