// The report's Prometheus section: what Prometheus said of the run (result.json's `prometheus`, read back from the
// series k6 wrote by remote write) beside the run's own figures, with the native histograms' precision stated, and
// a finding where the two disagree beyond it. Pure; the disagreement rule is lib/prometheus-rw's (`disagrees`).

import { disagrees } from '../prometheus-rw/format.js';
import type { RunResult } from '../result/schema.js';
import { fmtInt, fmtMs, fmtPct, sig } from './format.js';
import type { Insight } from './insights.js';

export interface PrometheusRow {
  readonly metric: string;
  readonly run: string;
  readonly prometheus: string;
  /** Prometheus's figure over the run's: "×1.02". */
  readonly ratio: string;
  /** Within what the two can tell apart, or a finding. */
  readonly agrees: boolean;
}

export interface PrometheusView {
  /** "Prometheus at http://127.0.0.1:9090, run id 2026…-mix-smoke, read at 2026-12-02 17:40:01 UTC". */
  readonly source: string;
  /** The native histograms' precision in one sentence. */
  readonly precision: string;
  /** The largest relative error of a quantile read from the native histograms: bucketFactor − 1. */
  readonly relativeError: number;
  readonly rows: readonly PrometheusRow[];
  /** The server's own figures (the API's classic histogram), shown, not compared: another vantage, coarser buckets. */
  readonly server: readonly { readonly metric: string; readonly value: string }[];
  readonly findings: readonly Insight[];
}

/** A quantile Prometheus reads from a native histogram lies in the true value's bucket: within ×factor either way. */
export const quantileRelativeError = (bucketFactor: number): number => bucketFactor - 1;

export function prometheusView(r: RunResult): PrometheusView | null {
  const p = r.prometheus;
  if (!p) return null;
  const o = r.overall;
  const err = quantileRelativeError(p.bucketFactor);
  const ratio = (prom: number, own: number) => (own > 0 ? `×${(prom / own).toFixed(3)}` : '–');
  const quantile = (name: 'P95' | 'P99', q: number, prom: number, own: number): PrometheusRow =>
    ({ metric: name, run: fmtMs(own), prometheus: fmtMs(prom), ratio: ratio(prom, own), agrees: !disagrees(r, q, prom, p.bucketFactor, own) });
  // Counts are exact on both sides: they differ only when a push was lost.
  const rows: PrometheusRow[] = [
    quantile('P95', 95, p.p95, o.latencyMs.p95),
    quantile('P99', 99, p.p99, o.latencyMs.p99),
    { metric: 'requests', run: fmtInt(o.requests), prometheus: fmtInt(p.requests), ratio: ratio(p.requests, o.requests), agrees: p.requests === o.requests },
    { metric: 'error rate', run: fmtPct(o.errorRate), prometheus: fmtPct(p.errorRate), ratio: ratio(p.errorRate, o.errorRate), agrees: p.requests !== o.requests || Math.abs(p.errorRate - o.errorRate) * o.requests < 0.5 },
  ];
  const findings: Insight[] = rows.filter((x) => !x.agrees).map((x) => ({
    kind: 'prometheus-disagrees',
    severity: 'warning',
    text: x.metric === 'requests' || x.metric === 'error rate'
      ? `Prometheus counted ${x.metric} ${x.prometheus} where the run's record has ${x.run}: some remote-write pushes were lost, so the live series have gaps.`
      : `${x.metric} in Prometheus (${x.prometheus}) and in the run's record (${x.run}) differ by more than one native bucket (×${p.bucketFactor}) beyond the samples' own spread.`,
    basis: `result.json's prometheus section (${p.url}, run id ${p.testid}) against its overall figures`,
  }));
  const server = [
    ...(p.serverP95 !== undefined ? [{ metric: 'server P95', value: fmtMs(p.serverP95) }] : []),
    ...(p.serverP99 !== undefined ? [{ metric: 'server P99', value: fmtMs(p.serverP99) }] : []),
    ...(p.serverErrorRate !== undefined ? [{ metric: 'server 5xx', value: fmtPct(p.serverErrorRate) }] : []),
  ];
  return {
    source: `Prometheus at ${p.url}, run id ${p.testid}, read at ${p.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`,
    precision: `k6's native histograms at schema ${p.nativeSchema}: bucket bounds grow ×${p.bucketFactor}, so a percentile ` +
      `read from them lies within ×${p.bucketFactor} of the true one either way (a relative error up to ${sig(err * 100)} %); ` +
      'counts are exact.',
    relativeError: err,
    rows,
    server,
    findings,
  };
}
