// The compact text summary of a run result printed by `run` and `analyze`: a pure (result) => string.

import type { RequestStats, RunResult } from '../result/schema.js';
import { plain, plainLines } from '../text-escape.js';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pct = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.001 ? 3 : 2)} %`;

function line(label: string, s: RequestStats): string {
  const l = s.latencyMs;
  return (
    `${label}  ${s.requests} req  err ${pct(s.errorRate)}` +
    (s.rateLimited ? `  429 ${s.rateLimited}` : '') +
    `  p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)} ms`
  );
}

export interface SummaryOptions {
  /** At most this many endpoints are listed (busiest first). */
  maxEndpoints?: number;
}

export function formatSummary(r: RunResult, opts: SummaryOptions = {}): string {
  const m = r.meta;
  const o = r.overall;
  const out: string[] = [];
  out.push(
    `${m.scenario}/${m.profile}${m.target ? ` → ${m.target}` : ''}: ${m.durationS.toFixed(1)} s, ` +
      `${o.requests} requests (${o.throughputRps.toFixed(1)}/s), error rate ${pct(o.errorRate)} (${o.failed} failed)` +
      (o.rateLimited ? `, ${o.rateLimited} rate-limited (429)` : '') +
      (m.complete ? '' : `  [incomplete: ${m.incompleteReason ?? 'unknown'}]`),
  );
  const l = o.latencyMs;
  out.push(`latency ms: p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  p99.9 ${ms(l.p999)}  max ${ms(l.max)}`);
  const eps = Object.entries(r.endpoints).map(([k, s]) => [plain(k), s] as const).sort(([, a], [, b]) => b.requests - a.requests);
  const max = opts.maxEndpoints ?? 20;
  out.push(`endpoints: ${eps.length}`);
  const width = Math.min(60, Math.max(0, ...eps.slice(0, max).map(([k]) => k.length)));
  for (const [k, s] of eps.slice(0, max)) out.push('  ' + line(k.padEnd(width), s));
  if (eps.length > max) out.push(`  … ${eps.length - max} more`);
  const checks = Object.values(r.checks);
  if (checks.length) {
    const fails = checks.reduce((a, c) => a + c.fails, 0);
    const passes = checks.reduce((a, c) => a + c.passes, 0);
    out.push(`checks: ${passes} passed, ${fails} failed`);
  }
  if (r.droppedIterations) out.push(`dropped iterations: ${r.droppedIterations}`);
  out.push(`ingested ${r.ingest.lines} lines, ${r.ingest.garbledLines} garbled`);
  // Scenario, profile, target and the incomplete reason come from the input too.
  return plainLines(out.join('\n'));
}
