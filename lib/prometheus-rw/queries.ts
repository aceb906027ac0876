// The PromQL that reads a run back from Prometheus, and the precision of k6's native histograms. Pure.

import { RUN_ID_TAG } from './tag.js';

/** k6's series are cumulative from its start, so their sum at the run's end is the whole run, every runner merged. */
export function k6Queries(testid: string): { p95: string; p99: string; requests: string; failed: string } {
  const sel = `{${RUN_ID_TAG}=${JSON.stringify(testid)}}`;
  const failedSel = `{${RUN_ID_TAG}=${JSON.stringify(testid)}, expected_response="false"}`;
  return {
    p95: `histogram_quantile(0.95, sum(k6_http_req_duration_seconds${sel}))`,
    p99: `histogram_quantile(0.99, sum(k6_http_req_duration_seconds${sel}))`,
    requests: `sum(k6_http_reqs_total${sel})`,
    failed: `sum(k6_http_reqs_total${failedSel}) or vector(0)`,
  };
}

/**
 * The server's side over the run's last `durationS` seconds, from the bundled API's classic histogram (the test
 * endpoints left out, as thresholds.json leaves them out of the targets).
 */
export function serverQueries(durationS: number): { p95: string; p99: string; errorRate: string } {
  const w = `${Math.max(1, Math.ceil(durationS))}s`;
  const sel = '{route!~"GET /__sandbox/.*"}';
  const q = (p: number) => `histogram_quantile(${p}, sum by (le) (increase(http_request_duration_seconds_bucket${sel}[${w}])))`;
  return {
    p95: q(0.95),
    p99: q(0.99),
    errorRate: `sum(increase(http_request_duration_seconds_count{route!~"GET /__sandbox/.*", status=~"5.."}[${w}])) / sum(increase(http_request_duration_seconds_count${sel}[${w}]))`,
  };
}

/** A native histogram's schema from one of its buckets' bounds (upper / lower = 2^(2^-schema)). */
export function schemaOfBucket(lower: number, upper: number): number {
  return Math.round(-Math.log2(Math.log2(upper / lower)));
}

/** Ratio of consecutive bucket bounds at a schema. */
export const bucketFactor = (schema: number): number => 2 ** (2 ** -schema);
