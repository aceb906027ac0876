// Where the stack saturates: Kneedle on latency, the first target breach, the USL peak, the most users within the
// targets, and how well the USL fitted on the lower levels predicts the top one. Pure.

import { kneedle } from './knee.js';
import type { CapacityResult, Level, Saturation, CapacityTargets } from './schema.js';
import { estimate } from './estimate.js';
import { isExtrapolated } from './sizing.js';
import { fitUsl, uslResponseTime, uslThroughput, type UslFit } from './usl.js';

export function saturationOf(levels: readonly Level[], usl: UslFit): Saturation {
  const knee = kneedle(levels.map((l) => l.vus), levels.map((l) => l.latencyMs.p95));
  const breach = levels.find((l) => !l.verdict.steady.withinTargets);
  const notes: string[] = [];
  notes.push(knee === null ? `no knee in P95 vs VUs over ${levels.length} levels (Kneedle, S = 1)` : `P95 turns upward at ${knee} VUs`);
  notes.push(breach ? `targets first broken at ${breach.vus} VUs` : 'no level broke the targets');
  if (usl.peakConcurrency !== null) notes.push(`USL throughput peaks at ${usl.peakConcurrency.toFixed(0)} VUs`);
  return { method: 'kneedle on P95 vs VUs; first target breach; USL peak', kneeVus: knee, firstBreachVus: breach?.vus ?? null, uslPeakVus: usl.peakConcurrency, note: notes.join('; ') };
}

/** Which steady-window figures broke which target, e.g. "P95 602 ms > 300 ms". */
export function breaches(l: Level, t: CapacityTargets): string[] {
  const out: string[] = [];
  if (l.latencyMs.p95 > t.p95Ms) out.push(`P95 ${l.latencyMs.p95.toFixed(0)} ms > ${t.p95Ms} ms`);
  if (l.latencyMs.p99 > t.p99Ms) out.push(`P99 ${l.latencyMs.p99.toFixed(0)} ms > ${t.p99Ms} ms`);
  if (l.errorRate > t.errorRate) out.push(`errors ${(l.errorRate * 100).toFixed(2)}% > ${(t.errorRate * 100).toFixed(2)}%`);
  return out.length ? out : ['no figures above target'];
}

/** The largest VUs within the latency target: interpolated across a breach, else projected with the USL. */
export function maxUsersOf(levels: readonly Level[], usl: UslFit, targets: CapacityTargets, instances: number, top: number): CapacityResult['maxUsers'] {
  const idx = levels.findIndex((l) => !l.verdict.steady.withinTargets);
  if (idx === 0) return { instances, users: null, limitedBy: `the lowest level (${levels[0]!.vus} VUs) already broke the targets` };
  if (idx > 0) {
    const a = levels[idx - 1]!, b = levels[idx]!;
    // Where P95 crosses the target between the last passing and the first failing level (linear in between).
    const cross = b.latencyMs.p95 > a.latencyMs.p95 && b.latencyMs.p95 > targets.p95Ms && a.latencyMs.p95 <= targets.p95Ms
      ? a.vus + ((targets.p95Ms - a.latencyMs.p95) / (b.latencyMs.p95 - a.latencyMs.p95)) * (b.vus - a.vus)
      : a.vus;
    return { instances, users: estimate(Math.floor(cross), a.vus, b.vus, false), limitedBy: `targets broken at ${b.vus} VUs (${breaches(b, targets).join(', ')})` };
  }
  const last = levels[levels.length - 1]!;
  // No breach: the top level is a proven lower bound. Project with the USL's mean response time, scaled by the
  // P95/mean ratio measured at the top level, to where P95 would reach the target.
  const rTop = usl.model !== 'none' ? uslResponseTime(usl, last.vus, targets.thinkTimeS) : null;
  if (rTop && rTop > 0 && usl.model === 'usl') {
    const ratio = last.latencyMs.p95 / 1000 / rTop;
    const limit = usl.peakConcurrency ?? 100 * top;
    let lo = last.vus, hi = limit;
    const p95At = (n: number) => (uslResponseTime(usl, n, targets.thinkTimeS) ?? 0) * ratio * 1000;
    if (p95At(hi) > targets.p95Ms) {
      for (let i = 0; i < 100; i++) {
        const mid = (lo + hi) / 2;
        if (p95At(mid) > targets.p95Ms) hi = mid; else lo = mid;
      }
    }
    const projected = Math.max(last.vus, Math.floor(lo));
    return { instances, users: estimate(projected, last.vus, projected, isExtrapolated(projected, top)), limitedBy: `no level broke the targets; ${last.vus} VUs proven, ${projected} projected by the USL (P95 reaching ${targets.p95Ms} ms or the throughput peak)` };
  }
  return { instances, users: estimate(last.vus, last.vus, last.vus, false), limitedBy: `no level broke the targets: ${last.vus} VUs is a lower bound` };
}

/** How well the ladder predicts itself: the USL fitted without the top level, asked for the top level's throughput. */
export function holdoutOf(levels: readonly Level[]): CapacityResult['holdout'] {
  if (levels.length < 3) return null;
  const fitted = levels.slice(0, -1);
  const topLevel = levels[levels.length - 1]!;
  const fit = fitUsl(fitted.map((l) => ({ n: l.vus, x: l.throughputRps })));
  if (fit.model === 'none' || !(topLevel.throughputRps > 0)) return null;
  const predicted = uslThroughput(fit, topLevel.vus);
  return {
    fittedOnVus: fitted.map((l) => l.vus), model: fit.model, vus: topLevel.vus, predictedRps: predicted, measuredRps: topLevel.throughputRps,
    errorPct: ((predicted - topLevel.throughputRps) / topLevel.throughputRps) * 100,
  };
}
