import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, recordMs } from '../../../lib/histogram.js';
import type { SecondStats } from '../../../lib/ingest/seconds.js';
import { joinSeconds, mergeSeconds } from '../../../lib/merge/seconds.js';

function second(t: number, ms: number[], failed = 0, rateLimited = 0): SecondStats {
  const h = createHistogram();
  for (const m of ms) recordMs(h, m);
  return { t, requests: ms.length, failed, rateLimited, minMs: ms.length ? Math.min(...ms) : 0, maxMs: ms.length ? Math.max(...ms) : 0, histogram: ms.length ? encodeHistogram(h) : '' };
}

describe("runners' live seconds joined", () => {
  it('adds counts, widens the extremes and merges the histograms exactly', () => {
    const m = mergeSeconds([second(100, [10, 20], 1, 0), second(100, [5, 400, 30], 0, 2), second(100, [])]);
    expect({ ...m, histogram: undefined }).toEqual({ t: 100, requests: 5, failed: 1, rateLimited: 2, minMs: 5, maxMs: 400, histogram: undefined });
    expect(decodeHistogram(m.histogram).totalCount).toBe(5);
  });

  it('hands a second on once every runner has closed it or a later one, in time order', () => {
    const j = joinSeconds(2);
    expect(j.push(0, second(100, [10]))).toEqual([]);
    expect(j.push(0, second(101, [10]))).toEqual([]);
    // Runner 1 closes 100: 100 is complete (runner 0 is at 101), 101 waits for runner 1.
    expect(j.push(1, second(100, [20])).map((s) => [s.t, s.requests])).toEqual([[100, 2]]);
    // Runner 1 had no request in 101 and closes 102: 101 is complete with runner 0's part alone.
    expect(j.push(1, second(102, [20, 30])).map((s) => [s.t, s.requests])).toEqual([[101, 1]]);
    expect(j.push(0, second(102, [40])).map((s) => [s.t, s.requests])).toEqual([[102, 3]]);
  });
});
