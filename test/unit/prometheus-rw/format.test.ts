import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMs } from '../../../lib/histogram.js';
import { disagrees, formatReadBack } from '../../../lib/prometheus-rw/format.js';
import type { RunResult } from '../../../lib/result/schema.js';

/** A result of n requests at 1, 2, …, n ms (exact in the HDR histogram at 3 digits below 1000 ms). */
function resultOf(n: number, p95: number, p99: number): RunResult {
  const h = createHistogram();
  for (let i = 1; i <= n; i++) recordMs(h, i);
  return {
    overall: { requests: n, errorRate: 0, histogram: encodeHistogram(h), latencyMs: { p95, p99 } },
  } as unknown as RunResult;
}

describe('disagrees', () => {
  it("allows one native bucket beyond the samples' own spread around the quantile", () => {
    // 47 samples: P99 lies between the 46th and 47th (46 and 47 ms); 51 ms is within ×1.0905 of 47, 52 is not.
    const r = resultOf(47, 44.7, 46.5);
    expect(disagrees(r, 99, 51, 1.0905, 46.5)).toBe(false);
    expect(disagrees(r, 99, 52, 1.0905, 46.5)).toBe(true);
    // Below: the spread reaches the value at q − 100/n = 96.87 %, 45.56 ms (÷1.0905 = 41.78 ms).
    expect(disagrees(r, 99, 41.8, 1.0905, 46.5)).toBe(false);
    expect(disagrees(r, 99, 41.7, 1.0905, 46.5)).toBe(true);
  });
});

describe('formatReadBack', () => {
  it('prints both sides with the precision, and no line without a prometheus section', () => {
    const r = resultOf(1000, 950, 990);
    expect(formatReadBack(r)).toEqual([]);
    r.prometheus = {
      schema: 'conecta-load/prometheus-readback@1', url: 'http://127.0.0.1:8808', testid: 't', at: '2026-12-02T14:00:00.000Z',
      requests: 1000, p95: 1100, p99: 985, errorRate: 0, nativeSchema: 3, bucketFactor: 1.09051, serverP95: 940,
    };
    expect(formatReadBack(r)).toEqual([
      "Prometheus (http://127.0.0.1:8808, testid t; k6's native histograms, schema 3: bucket bounds ×1.09051):",
      '  k6      P95 1100 ms (run 950)  P99 985 ms (run 990)  errors 0.00 % (run 0.00 %)  requests 1000 (run 1000)',
      "  server  P95 940 ms  P99 – ms  5xx – (the API's own classic histogram, coarser buckets)",
      "  finding: P95 in Prometheus (1100 ms) and in the run's record (950 ms) differ by more than one native bucket (×1.09051) beyond the samples' own spread",
    ]);
  });
});
