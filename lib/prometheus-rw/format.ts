// The run's figures beside Prometheus's (the `prometheus` section of result.json), with the native histograms'
// precision, and a finding when they disagree beyond it. Pure.

import type { RunResult } from '../result/schema.js';
import { beyondPrecision } from './queries.js';

const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3));

/** Lines for the run's summary; empty when the run has no prometheus section. */
export function formatReadBack(result: RunResult): string[] {
  const p = result.prometheus;
  if (!p) return [];
  const run = result.overall.latencyMs;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const lines = [
    `Prometheus (${p.url}, testid ${p.testid}; k6's native histograms, schema ${p.nativeSchema}: bucket bounds ×${p.bucketFactor}):`,
    `  k6      P95 ${f(p.p95)} ms (run ${f(run.p95)})  P99 ${f(p.p99)} ms (run ${f(run.p99)})  errors ${pct(p.errorRate)} (run ${pct(result.overall.errorRate)})  requests ${p.requests} (run ${result.overall.requests})`,
  ];
  if (p.serverP95 !== undefined) {
    lines.push(`  server  P95 ${f(p.serverP95)} ms  P99 ${p.serverP99 !== undefined ? f(p.serverP99) : '–'} ms  5xx ${p.serverErrorRate !== undefined ? pct(p.serverErrorRate) : '–'} (the API's own classic histogram, coarser buckets)`);
  }
  for (const [name, prom, own] of [['P95', p.p95, run.p95], ['P99', p.p99, run.p99]] as const) {
    if (beyondPrecision(prom, own, p.bucketFactor)) {
      lines.push(`  finding: ${name} in Prometheus (${f(prom)} ms) and in the run's record (${f(own)} ms) differ by more than one native bucket (×${p.bucketFactor})`);
    }
  }
  return lines;
}
