// Insights: what an SRE would say first on seeing a run's charts, in plain words, each with what it was read from.
// Pure: a RunResult in, a list of sentences out; the thresholds below are named so tests and readers see them.

import { fmtInt, fmtMs, fmtPct, sig } from './format.js';
import type { RunResult, TimelinePoint } from '../result/schema.js';

export type InsightKind =
  | 'throughput-limit'
  | 'errors-rising'
  | 'generator-saturated'
  | 'dropped-iterations'
  | 'rate-limited'
  | 'latency-knee'
  | 'prometheus-disagrees';

export interface Insight {
  kind: InsightKind;
  /** problem: the run's figures are wrong or the stack is at its limit; warning: look at it; info: context. */
  severity: 'problem' | 'warning' | 'info';
  text: string;
  /** What the insight was computed from, so a reader can check it. */
  basis: string;
}

/** Users must grow this much after throughput levelled off to call it a throughput limit. */
export const PLATEAU_USER_GROWTH = 1.25;
/** Throughput within this fraction of its peak counts as "at the peak". */
export const PLATEAU_BAND = 0.9;
/** The last third's error rate must be this many times the first third's … */
export const ERROR_RISE_FACTOR = 2;
/** … and at least this much higher in absolute terms (0.1 %, the stack's error-rate target) … */
export const ERROR_RISE_MIN_DELTA = 0.001;
/** … with at least this many errors in the last third, so a handful of failures is not a trend. */
export const ERROR_RISE_MIN_ERRORS = 10;
/** A load-generator CPU at or above this fraction of what it has means k6 itself was the bottleneck. */
export const GENERATOR_CPU_SATURATED = 0.9;

interface Window {
  vus: number;
  rps: number;
  p95Ms: number;
}

/** Equal-length windows of the timeline (≥ 5 s each, at most 60): smooths per-second noise. */
function windows(timeline: readonly TimelinePoint[]): Window[] {
  const count = Math.min(60, Math.floor(timeline.length / 5));
  if (count < 3) return [];
  const out: Window[] = [];
  for (let w = 0; w < count; w++) {
    const part = timeline.slice(Math.floor((w * timeline.length) / count), Math.floor(((w + 1) * timeline.length) / count));
    const req = part.reduce((s, p) => s + p.requests, 0);
    out.push({
      vus: part.reduce((s, p) => s + p.vus, 0) / part.length,
      rps: req / part.length,
      p95Ms: req > 0 ? part.reduce((s, p) => s + p.p95Ms * p.requests, 0) / req : 0,
    });
  }
  return out;
}

/** Throughput reached its peak while users kept growing: the stack stopped absorbing load. */
export function throughputLimit(r: RunResult): Insight | null {
  const ws = windows(r.timeline);
  if (ws.length === 0) return null;
  const peak = Math.max(...ws.map((w) => w.rps));
  if (peak <= 0) return null;
  const at = ws.findIndex((w) => w.rps >= PLATEAU_BAND * peak);
  const later = ws.slice(at + 1);
  if (later.length === 0) return null;
  const most = later.reduce((a, b) => (b.vus > a.vus ? b : a));
  const from = ws[at]!;
  if (from.vus <= 0 || most.vus < PLATEAU_USER_GROWTH * from.vus) return null;
  const latency = most.p95Ms > 1.2 * from.p95Ms ? `; P95 rose from ${fmtMs(from.p95Ms)} to ${fmtMs(most.p95Ms)}` : '';
  return {
    kind: 'throughput-limit',
    severity: 'problem',
    text:
      `Throughput flat while users grew: requests/s levelled off at about ${sig(peak)}/s with ${fmtInt(from.vus)} active VUs, ` +
      `and stayed there while VUs grew to ${fmtInt(most.vus)} (+${sig((most.vus / from.vus - 1) * 100)} %)${latency}. ` +
      `The stack reached a throughput limit; more users only wait longer.`,
    basis: `${ws.length} equal windows of the per-second timeline: mean VUs and requests/s per window`,
  };
}

/** The error rate of the last third of the run is well above the first third's. */
export function errorsRising(r: RunResult): Insight | null {
  const n = r.timeline.length;
  if (n < 3) return null;
  const third = (k: number) => {
    const part = r.timeline.slice(Math.floor((k * n) / 3), Math.floor(((k + 1) * n) / 3));
    const req = part.reduce((s, p) => s + p.requests, 0);
    const err = part.reduce((s, p) => s + p.errors, 0);
    return { req, err, rate: req > 0 ? err / req : 0 };
  };
  const first = third(0);
  const last = third(2);
  if (last.err < ERROR_RISE_MIN_ERRORS) return null;
  if (last.rate - first.rate < ERROR_RISE_MIN_DELTA || last.rate < ERROR_RISE_FACTOR * first.rate) return null;
  return {
    kind: 'errors-rising',
    severity: 'problem',
    text:
      `Error rate rose during the run: ${fmtPct(first.rate)} of requests failed in the first third, ` +
      `${fmtPct(last.rate)} in the last third (${fmtInt(last.err)} errors). Something degrades under sustained load ` +
      `(pool exhaustion, memory, queue growth), not only at the peak.`,
    basis: 'failed requests / requests in the first and last third of the per-second timeline',
  };
}

/** k6's peak CPU as a fraction of its machine's cores, when the run watched it (`run` records `generator`). */
function generatorCpu(r: RunResult): number | null {
  return r.generator ? r.generator.peakCores / r.generator.cores : null;
}

/** k6 itself could not keep up: from a CPU metric when there is one, else inferred from dropped iterations. */
export function generatorSaturated(r: RunResult): Insight | null {
  const cpu = generatorCpu(r);
  if (cpu !== null) {
    if (cpu < GENERATOR_CPU_SATURATED) return null;
    return {
      kind: 'generator-saturated',
      severity: 'problem',
      text:
        `The load generator itself was saturated: k6 used ${fmtPct(cpu)} of its CPU. Latencies include ` +
        `k6's own queueing and the load offered was lower than asked; run k6 on a bigger or separate machine.`,
      basis: "k6's peak CPU over its machine's cores (generator.peakCores / generator.cores)",
    };
  }
  if (r.droppedIterations === 0) return null;
  // No CPU figure: dropped iterations while the target kept answering fast mean k6, not the target, fell behind.
  const ws = windows(r.timeline);
  const half = Math.floor(ws.length / 2);
  const early = ws.slice(0, half).filter((w) => w.rps > 0);
  const late = ws.slice(half).filter((w) => w.rps > 0);
  if (early.length === 0 || late.length === 0) return null;
  const p95 = (xs: Window[]) => xs.reduce((s, w) => s + w.p95Ms, 0) / xs.length;
  const before = p95(early);
  const after = p95(late);
  if (after > 1.5 * before) return null;
  return {
    kind: 'generator-saturated',
    severity: 'warning',
    text:
      `The load generator probably could not keep up: k6 dropped ${fmtInt(r.droppedIterations)} iterations while ` +
      `the target kept answering fast (P95 ${fmtMs(before)} early, ${fmtMs(after)} late). No CPU figure for k6 was ` +
      `recorded, so this is inferred; check k6's CPU (${r.meta.host.cpus} CPUs on this host) before trusting the latencies.`,
    basis: 'dropped_iterations and the P95 of the first and second half of the timeline (no k6 CPU metric in the result)',
  };
}

/** k6 skipped iterations the profile asked for: the load offered was lower than planned. */
export function droppedIterations(r: RunResult): Insight | null {
  if (r.droppedIterations === 0) return null;
  const share = r.droppedIterations / (r.iterations + r.droppedIterations);
  return {
    kind: 'dropped-iterations',
    severity: share >= 0.01 ? 'problem' : 'warning',
    text:
      `k6 dropped ${fmtInt(r.droppedIterations)} iterations (${fmtPct(share)} of those scheduled): the arrival-rate ` +
      `executor had no free VU to start them, so the stack received less load than the profile asked for. Raise the ` +
      `profile's maxVUs, or read it as a sign the responses slowed down.`,
    basis: 'dropped_iterations against iterations completed',
  };
}

/** Responses with status 429: the per-IP (150/min) or login (5 per 5 min) limit was hit. */
export function rateLimited(r: RunResult): Insight | null {
  const n = r.overall.rateLimited;
  if (n === 0) return null;
  const share = r.overall.requests > 0 ? n / r.overall.requests : 0;
  const top = Object.entries(r.endpoints)
    .filter(([, s]) => s.rateLimited > 0)
    .sort((a, b) => b[1].rateLimited - a[1].rateLimited)
    .slice(0, 3);
  const where = top.map(([name, s]) => `${name} (${fmtInt(s.rateLimited)})`).join(', ');
  const login = top.some(([name]) => /auth\/login/.test(name));
  return {
    kind: 'rate-limited',
    severity: share >= 0.01 ? 'problem' : 'warning',
    text:
      `Rate limiting was hit: ${fmtInt(n)} responses (${fmtPct(share)}) were 429${where ? `, most on ${where}` : ''}. ` +
      (login
        ? 'Logins are limited to 5 per 5 minutes per IP: log in once per VU. '
        : '') +
      `The stack allows 150 requests/minute per client IP; spread source addresses (--local-ips) or these ` +
      `responses measure the limiter, not the application.`,
    basis: 'responses with status 429, overall and per endpoint (counted apart from errors)',
  };
}

/** Every insight that applies to this run, most serious first. */
export function runInsights(r: RunResult): Insight[] {
  const rank = { problem: 0, warning: 1, info: 2 } as const;
  return [throughputLimit(r), errorsRising(r), generatorSaturated(r), droppedIterations(r), rateLimited(r)]
    .filter((i): i is Insight => i !== null)
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
