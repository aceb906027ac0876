import { describe, expect, it } from 'vitest';
import { decompose } from '../../../lib/capacity/decompose.js';

describe('latency decomposition', () => {
  it('splits the mean: API is upstream less DB and cache, the rest is unexplained', () => {
    const d = decompose({
      k6: { meanMs: 100, p95Ms: 250 },
      generator: { meanMs: 1, p95Ms: 3 },
      proxy: { meanMs: 4, p95Ms: 20 },
      upstream: { meanMs: 90, p95Ms: 200 },
      db: { meanMs: 60 },
      cache: { meanMs: 5 },
    });
    expect(d.mean).toEqual({ totalMs: 100, parts: { generator: 1, proxy: 4, api: 25, db: 60, cache: 5, unexplained: 5 } });
    // P95: each part's own P95 where known, the mean where not; API = 200 − 60 − 5
    expect(d.p95).toEqual({ totalMs: 250, parts: { generator: 3, proxy: 20, api: 135, db: 60, cache: 5, unexplained: 27 } });
    expect(d.explained).toBe(true);
    expect(d.note).toBeNull();
  });

  it('says how much is unexplained past 15 % (or 2 ms)', () => {
    const d = decompose({ k6: { meanMs: 100, p95Ms: 100 }, generator: { meanMs: 1 }, db: { meanMs: 60 } });
    expect(d.mean.parts.unexplained).toBe(39);
    expect(d.explained).toBe(false);
    expect(d.note).toBe('39.0 ms of the 100.0 ms mean (39 %) is unexplained by the measured parts');
    // 2 ms is allowed however small the mean: 1.9 ms of a 3 ms mean passes, 15 % of 3 ms would not
    expect(decompose({ k6: { meanMs: 3, p95Ms: 3 }, db: { meanMs: 1.1 } }).explained).toBe(true);
    // Exactly at 15 %: passes
    expect(decompose({ k6: { meanMs: 200, p95Ms: 200 }, db: { meanMs: 170 } }).explained).toBe(true);
    expect(decompose({ k6: { meanMs: 200, p95Ms: 200 }, db: { meanMs: 169 } }).explained).toBe(false);
  });

  it('parts that exceed the total say a witness over-counts; the API part never goes below 0', () => {
    const d = decompose({ k6: { meanMs: 10, p95Ms: 10 }, upstream: { meanMs: 20 }, db: { meanMs: 20 } });
    expect(d.mean.parts).toEqual({ api: 0, db: 20, unexplained: -10 });
    expect(d.note).toBe("the measured parts exceed k6's 10.0 ms mean by 10.0 ms (100 %): a witness over-counts");
    expect(decompose({ k6: { meanMs: 10, p95Ms: 10 }, db: { meanMs: 20 } }).mean.parts).toEqual({ db: 20, unexplained: -10 });
  });

  it("caps the DB's part at the upstream time that contains it, less the cache's", () => {
    const d = decompose({ k6: { meanMs: 700, p95Ms: 900 }, proxy: { meanMs: 1 }, upstream: { meanMs: 695 }, db: { meanMs: 840 }, cache: { meanMs: 0.5 } });
    expect(d.mean.parts).toEqual({ proxy: 1, api: 0, db: 694.5, cache: 0.5, unexplained: 4 });
    expect(d.explained).toBe(true);
    expect(decompose({ k6: { meanMs: 100, p95Ms: 100 }, upstream: { meanMs: 90 }, db: { meanMs: 60 } }).mean.parts).toEqual({ api: 30, db: 60, unexplained: 10 });
  });
});
