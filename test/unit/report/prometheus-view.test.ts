import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, percentileMs, recordMs } from '../../../lib/histogram.js';
import { prometheusView, quantileRelativeError } from '../../../lib/report/prometheus-view.js';
import { buildRunView } from '../../../lib/report/run-view.js';
import type { PrometheusReadback } from '../../../lib/prometheus-rw/schema.js';
import type { RunResult } from '../../../lib/result/schema.js';
import { makeRunResult } from './fixtures.js';

/** A run of 1000 requests taking 1, 2, … 1000 ms, 5 of them failed, and Prometheus's reading of it. */
function run(prometheus?: Partial<PrometheusReadback>): RunResult {
  const r = makeRunResult({ durationS: 10 });
  const h = createHistogram();
  for (let ms = 1; ms <= 1000; ms++) recordMs(h, ms);
  r.overall = {
    ...r.overall, requests: 1000, failed: 5, errorRate: 0.005, histogram: encodeHistogram(h),
    latencyMs: { ...r.overall.latencyMs, p95: percentileMs(h, 95), p99: percentileMs(h, 99) },
  };
  if (prometheus) {
    r.prometheus = {
      schema: 'conecta-load/prometheus-readback@1', url: 'http://127.0.0.1:9090', testid: 'run-1', at: '2026-12-02T17:40:01.123Z',
      requests: 1000, p95: 960, p99: 1000, errorRate: 0.005, nativeSchema: 3, bucketFactor: 1.0905, serverP95: 940, ...prometheus,
    };
  }
  return r;
}

describe("the report's Prometheus section", () => {
  it('is absent without a readback', () => {
    expect(prometheusView(run())).toBeNull();
    expect(buildRunView(run()).prometheus).toBeNull();
  });

  it("puts Prometheus's figures beside the run's, with the native histograms' precision", () => {
    const v = prometheusView(run({}))!;
    expect(quantileRelativeError(1.0905)).toBeCloseTo(0.0905, 12);
    expect(v).toEqual({
      source: 'Prometheus at http://127.0.0.1:9090, run id run-1, read at 2026-12-02 17:40:01 UTC',
      precision: "k6's native histograms at schema 3: bucket bounds grow ×1.0905, so a percentile read from them lies within ×1.0905 of the true one either way (a relative error up to 9.05 %); counts are exact.",
      relativeError: v.relativeError,
      rows: [
        { metric: 'P95', run: '950 ms', prometheus: '960 ms', ratio: '×1.010', agrees: true },
        { metric: 'P99', run: '990 ms', prometheus: '1 s', ratio: '×1.010', agrees: true },
        { metric: 'requests', run: '1,000', prometheus: '1,000', ratio: '×1.000', agrees: true },
        { metric: 'error rate', run: '0.5 %', prometheus: '0.5 %', ratio: '×1.000', agrees: true },
      ],
      server: [{ metric: 'server P95', value: '940 ms' }],
      findings: [],
    });
  });

  it('makes a disagreement beyond one bucket (and the samples\' own spread) a finding, at the top of the report', () => {
    // P95's samples allow 949–951 ms; one bucket either way: 870–1037 ms. 1100 ms is beyond, 1030 ms is not.
    const far = prometheusView(run({ p95: 1100, p99: 1080, requests: 990 }))!;
    expect(far.rows.map((x) => [x.metric, x.ratio, x.agrees])).toEqual([['P95', '×1.158', false], ['P99', '×1.091', true], ['requests', '×0.990', false], ['error rate', '×1.000', true]]);
    expect(far.findings.map((f) => f.text)).toEqual([
      "P95 in Prometheus (1.1 s) and in the run's record (950 ms) differ by more than one native bucket (×1.0905) beyond the samples' own spread.",
      "Prometheus counted requests 990 where the run's record has 1,000: some remote-write pushes were lost, so the live series have gaps.",
    ]);
    expect(prometheusView(run({ p95: 1030 }))!.findings).toEqual([]);
    const view = buildRunView(run({ p95: 1100 }));
    expect(view.insights.filter((i) => i.kind === 'prometheus-disagrees').map((i) => i.severity)).toEqual(['warning']);
  });
});
