import { describe, expect, it } from 'vitest';
import { bucketFactor, k6Queries, schemaOfBucket, serverQueries } from '../../../lib/prometheus-rw/queries.js';

describe('k6Queries', () => {
  it("sums every series of the run (every runner's) before reading a quantile", () => {
    expect(k6Queries('run-1')).toEqual({
      p95: 'histogram_quantile(0.95, sum(k6_http_req_duration_seconds{testid="run-1"}))',
      p99: 'histogram_quantile(0.99, sum(k6_http_req_duration_seconds{testid="run-1"}))',
      requests: 'sum(k6_http_reqs_total{testid="run-1"})',
      failed: 'sum(k6_http_reqs_total{testid="run-1", expected_response="false"}) or vector(0)',
    });
  });
});

describe('serverQueries', () => {
  it("reads the API's classic histogram over the run, whole seconds, the test endpoints left out", () => {
    expect(serverQueries(45.2).p95).toBe('histogram_quantile(0.95, sum by (le) (increase(http_request_duration_seconds_bucket{route!~"GET /__sandbox/.*"}[46s])))');
  });
});

describe('native histogram precision', () => {
  it("derives the schema from a bucket's bounds as k6 v2.2.0 wrote them into Prometheus 2.42", () => {
    // A bucket of run live-run1: (0.0023226701464896895, 0.002532889755177753].
    expect(schemaOfBucket(0.0023226701464896895, 0.002532889755177753)).toBe(3);
    expect(bucketFactor(3)).toBeCloseTo(1.0905077326652577, 15);
    expect(bucketFactor(0)).toBe(2);
  });
});
