import { describe, expect, it } from 'vitest';
import { downsampleTimeline } from '../../../lib/report/downsample.js';
import type { TimelinePoint } from '../../../lib/result/schema.js';
import { makeRunResult } from './fixtures.js';

const point = (t: number, o: Partial<TimelinePoint> = {}): TimelinePoint => ({
  t, requests: 10, errors: 0, rateLimited: 0, vus: 5, p50Ms: 10, p95Ms: 20, p99Ms: 30, ...o,
});

describe('downsampleTimeline', () => {
  it('keeps a short timeline point for point', () => {
    const tl = [point(100), point(101, { requests: 20, p95Ms: 50 }), point(102)];
    const out = downsampleTimeline(tl, 300);
    expect(out).toHaveLength(3);
    expect(out[1]).toEqual({
      elapsedS: 1, seconds: 1, requestsPerS: 20, errorsPerS: 0, rateLimitedPerS: 0, vus: 5, p50Ms: 10, p95Ms: 50, p99Ms: 30,
    });
  });

  it('averages rates, keeps the highest P95/P99/VUs and weights P50 by requests', () => {
    const tl = [
      point(0, { requests: 10, errors: 1, rateLimited: 2, vus: 4, p50Ms: 10, p95Ms: 40, p99Ms: 90 }),
      point(1, { requests: 30, errors: 3, rateLimited: 0, vus: 7, p50Ms: 20, p95Ms: 25, p99Ms: 300 }),
      point(2, { requests: 0, errors: 0, vus: 6, p50Ms: 0, p95Ms: 0, p99Ms: 0 }),
      point(3, { requests: 8 }),
    ];
    const out = downsampleTimeline(tl, 2);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({
      elapsedS: 0, seconds: 2, requestsPerS: 20, errorsPerS: 2, rateLimitedPerS: 1, vus: 7,
      p50Ms: (10 * 10 + 20 * 30) / 40, p95Ms: 40, p99Ms: 300,
    });
    // A bucket with one empty second: the mean rate counts that second, P50 ignores it.
    expect(out[1]).toEqual({
      elapsedS: 2, seconds: 2, requestsPerS: 4, errorsPerS: 0, rateLimitedPerS: 0, vus: 6, p50Ms: 10, p95Ms: 20, p99Ms: 30,
    });
  });

  it('spreads a gap in the timeline over the seconds the bucket spans', () => {
    const out = downsampleTimeline([point(0, { requests: 30 }), point(5, { requests: 30 })], 1);
    expect(out[0]!.seconds).toBe(6);
    expect(out[0]!.requestsPerS).toBe(10);
  });

  it('reduces a 1-hour run to at most 300 points without losing its worst second', () => {
    const r = makeRunResult({ durationS: 3600, maxVus: 20, seed: 3 });
    const worst = r.timeline.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
    const spikeAt = r.timeline.findIndex((p) => p === worst);
    const out = downsampleTimeline(r.timeline);
    expect(out).toHaveLength(300);
    expect(out.every((b) => b.seconds === 12)).toBe(true);
    expect(Math.max(...out.map((b) => b.p99Ms))).toBe(worst.p99Ms);
    expect(out[Math.floor(spikeAt / 12)]!.p99Ms).toBe(worst.p99Ms);
    const total = r.timeline.reduce((s, p) => s + p.requests, 0);
    expect(out.reduce((s, b) => s + b.requestsPerS * b.seconds, 0)).toBeCloseTo(total, 6);
    expect(Math.max(...out.map((b) => b.vus))).toBe(20);
  });

  it('returns nothing for an empty timeline', () => {
    expect(downsampleTimeline([])).toEqual([]);
  });
});
