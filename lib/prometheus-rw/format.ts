// The run's figures beside Prometheus's (the `prometheus` section of result.json), with the native histograms'
// precision, and a finding when they disagree beyond it. Pure.

import { decodeHistogram, percentilesMs } from '../histogram.js';
import type { RunResult } from '../result/schema.js';

/**
 * Whether Prometheus's quantile `q` (0–100) disagrees with the run's beyond what both allow: the run's samples fix a
 * quantile only to between adjacent order statistics (the values at q ∓ 100/n), and a native bucket adds a factor
 * either way. Without the run's histogram, the run's own quantile stands for both ends.
 */
export function disagrees(result: RunResult, q: number, fromPrometheus: number, factor: number, own: number): boolean {
  const n = result.overall.requests;
  let lo = own;
  let hi = own;
  if (n > 0 && result.overall.histogram) {
    [lo, hi] = percentilesMs(decodeHistogram(result.overall.histogram), [Math.max(0, q - 100 / n), Math.min(100, q + 100 / n)]) as [number, number];
  }
  return fromPrometheus < Math.min(lo, own) / factor || fromPrometheus > Math.max(hi, own) * factor;
}

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
  for (const [name, q, prom, own] of [['P95', 95, p.p95, run.p95], ['P99', 99, p.p99, run.p99]] as const) {
    if (disagrees(result, q, prom, p.bucketFactor, own)) {
      lines.push(`  finding: ${name} in Prometheus (${f(prom)} ms) and in the run's record (${f(own)} ms) differ by more than one native bucket (×${p.bucketFactor}) beyond the samples' own spread`);
    }
  }
  return lines;
}
