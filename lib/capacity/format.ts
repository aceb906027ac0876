// Text and JSON views of a USL fit for `capacity fit`, pure.

import { BANDWIDTH_HEADER, bandwidthRow } from './bandwidth-table.js';
import { whyLine } from './document-summary.js';
import { bottleneckLine } from './laws.js';
import { capacityLine } from './breaking-point.js';
import type { CapacityResult, Level, UslFit as UslFitJson } from './schema.js';
import { MB } from './bandwidth.js';
import type { UslFit } from './usl.js';
import { describeBudget } from '../result/budget.js';

export type { UslFitJson };

export function uslFitJson(fit: UslFit): UslFitJson {
  const { model, sigma, kappa, lambda, peakConcurrency, maxThroughput, rSquared, points, note } = fit;
  return { model, sigma, kappa, lambda, peakConcurrency, maxThroughput, rSquared, points, note };
}

const g = (v: number | null, digits = 6) => (v === null ? 'none' : Number(v.toPrecision(digits)).toString());

export function formatUslFit(fit: UslFit): string {
  const lines = [
    `model   ${fit.model} (${fit.points} points)`,
    `sigma   ${g(fit.sigma)}   (contention)`,
    `kappa   ${g(fit.kappa)}   (coherency)`,
    `lambda  ${g(fit.lambda)}   (throughput of one user)`,
    `N*      ${fit.peakConcurrency === null ? 'none (κ = 0: no peak)' : g(fit.peakConcurrency, 4)}`,
    `X_max   ${fit.maxThroughput === null ? 'unbounded' : g(fit.maxThroughput, 6)}`,
    `R²      ${g(fit.rSquared, 6)}`,
  ];
  if (fit.note) lines.push(`note    ${fit.note}`);
  return lines.join('\n') + '\n';
}

const GB = 1024 ** 3;
const r = (e: { value: number; low: number; high: number; extrapolated: boolean } | null, f: (v: number) => string) =>
  e === null ? 'n/a' : `${f(e.value)} (${f(e.low)}–${f(e.high)})${e.extrapolated ? '*' : ''}`;

/** A terminal summary of capacity.json: levels, model, saturation, sizing and verdicts. */
export function formatCapacitySummary(c: CapacityResult): string {
  const out: string[] = [];
  out.push(`Capacity of ${c.meta.target} (${c.meta.scenario}, scale ${c.meta.scale}, ${c.meta.currentInstances} instance(s))`);
  if (c.budget) out.push(`Budget: ${describeBudget(c.budget)}`);
  out.push('  users    VUs     rps     p50     p95     p99  errors  targets');
  for (const l of c.levels) {
    out.push(`  ${String(l.users).padStart(5)} ${String(l.vus).padStart(6)} ${l.throughputRps.toFixed(1).padStart(7)} ${l.latencyMs.p50.toFixed(0).padStart(7)} ${l.latencyMs.p95.toFixed(0).padStart(7)} ${l.latencyMs.p99.toFixed(0).padStart(7)} ${(l.errorRate * 100).toFixed(2).padStart(6)}%  ${l.verdict.steady.withinTargets ? 'held' : 'broken'}${l.complete ? '' : ' (incomplete)'}`);
  }
  const moved = c.levels.filter((l) => l.bandwidth);
  if (moved.length) {
    out.push(`  ${BANDWIDTH_HEADER}`);
    for (const l of moved) out.push(`  ${bandwidthRow(l)}`);
  }
  const u = c.usl;
  out.push(`USL (${u.model}): σ=${u.sigma.toPrecision(4)} κ=${u.kappa.toPrecision(4)} λ=${u.lambda.toPrecision(4)} N*=${u.peakConcurrency === null ? 'none' : u.peakConcurrency.toFixed(0)} X_max=${u.maxThroughput === null ? 'unbounded' : u.maxThroughput.toFixed(1)} R²=${u.rSquared.toFixed(4)}`);
  if (c.holdout) {
    const h = c.holdout;
    out.push(`Self-check: fitted on ${h.fittedOnVus.join(', ')} VUs (${h.model}), predicts ${h.predictedRps.toFixed(1)} rps at ${h.vus} VUs; measured ${h.measuredRps.toFixed(1)} (${h.errorPct >= 0 ? '+' : ''}${h.errorPct.toFixed(1)}%)`);
  }
  if (c.capacity !== undefined) out.push(`Capacity: ${capacityLine(c.capacity)}${c.capacity ? ` — ${c.capacity.note}` : ''}`);
  out.push(`Saturation: ${c.saturation.note}`);
  out.push(`Max users with ${c.maxUsers.instances} instance(s): ${r(c.maxUsers.users, (v) => v.toFixed(0))} — ${c.maxUsers.limitedBy}`);
  out.push('Sizing (* = extrapolated beyond 2× the largest level):');
  for (const s of c.sizing) {
    const bw = s.bandwidth ? `, ${(s.bandwidth.inBytesPerS / MB).toFixed(2)} MB/s in, ${(s.bandwidth.outBytesPerS / MB).toFixed(2)} MB/s out, store +${(s.bandwidth.storageBytesPerDay / 1e9).toFixed(1)} GB/day` : '';
    out.push(`  ${String(s.users).padStart(6)} users: ${r(s.instances, (v) => v.toFixed(0))} instances, ${r(s.dbConnections, (v) => v.toFixed(0))} DB connections, ${r(s.ramBytes, (v) => (v / GB).toFixed(2))} GB RAM${bw}`);
  }
  if (c.assertions.length) {
    out.push('Asserted table:');
    for (const a of c.assertions) out.push(`  ${String(a.users).padStart(6)} users ${a.resource.padEnd(13)} ${String(a.asserted).padStart(5)}: ${a.verdict} — ${a.reason}`);
  }
  if (c.limitsFirst) out.push(`Bandwidth or CPU: ${c.limitsFirst.line}`);
  if (c.bottleneck) out.push(`What limited the stack: ${c.bottleneck.component} at ${c.bottleneck.vus} VUs — ${bottleneckLine(c.bottleneck)}`);
  for (const l of c.levels.filter((x) => x.complete && !x.verdict.steady.withinTargets && x.bottleneck)) out.push(`  ${whyLine(l)}`);
  for (const k of c.caveats) out.push(`note: ${k}`);
  return out.join('\n') + '\n';
}
