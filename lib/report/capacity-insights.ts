// Insights across a capacity ladder, in plain words: throughput flat while users grow, error rate rising with load,
// and each level's own run insights (generator saturated, dropped iterations, rate limiting) when its run is at hand.

import type { CapacityResult } from '../capacity/schema.js';
import type { RunResult } from '../result/schema.js';
import { fmtInt, fmtPct, sig } from './format.js';
import { droppedIterations, generatorSaturated, rateLimited, type Insight } from './insights.js';

/** Users must grow this much between two levels … */
export const LADDER_USER_GROWTH = 0.25;
/** … while throughput grows less than this, to call it flat. */
export const LADDER_FLAT_GROWTH = 0.05;

export function ladderThroughputLimit(c: CapacityResult): Insight | null {
  const ls = c.levels.filter((l) => l.complete && l.vus > 0).sort((a, b) => a.vus - b.vus);
  for (let i = 1; i < ls.length; i++) {
    const a = ls[i - 1]!, b = ls[i]!;
    const du = b.vus / a.vus - 1;
    const dx = a.throughputRps > 0 ? b.throughputRps / a.throughputRps - 1 : 0;
    if (du >= LADDER_USER_GROWTH && dx < LADDER_FLAT_GROWTH) {
      return {
        kind: 'throughput-limit',
        severity: 'problem',
        text:
          `Throughput flat while users grew: from ${fmtInt(a.vus)} to ${fmtInt(b.vus)} VUs (+${sig(du * 100)} %) throughput went ` +
          `from ${sig(a.throughputRps)} to ${sig(b.throughputRps)} requests/s (${dx >= 0 ? '+' : '−'}${sig(Math.abs(dx) * 100)} %). ` +
          `The stack reached its throughput limit near ${fmtInt(a.vus)} VUs; users beyond it only queue.`,
        basis: 'throughput and VUs of consecutive levels (steady windows)',
      };
    }
  }
  return null;
}

/** P95 must grow at least this many times between two levels … */
export const KNEE_LATENCY_FACTOR = 3;

/**
 * Past the knee: between two levels P95 grew several times over and broke its target while throughput grew less
 * than the users did. Requests then wait in queues instead of being served: the clearest sign of saturation
 * even when throughput is still rising (so the flat-throughput insight says nothing).
 */
export function ladderLatencyKnee(c: CapacityResult): Insight | null {
  const ls = c.levels.filter((l) => l.complete && l.vus > 0 && l.latencyMs.p95 > 0).sort((a, b) => a.vus - b.vus);
  for (let i = 1; i < ls.length; i++) {
    const a = ls[i - 1]!, b = ls[i]!;
    const du = b.vus / a.vus - 1;
    const dx = a.throughputRps > 0 ? b.throughputRps / a.throughputRps - 1 : 0;
    const factor = b.latencyMs.p95 / a.latencyMs.p95;
    if (factor >= KNEE_LATENCY_FACTOR && b.latencyMs.p95 > c.targets.p95Ms && dx < du) {
      return {
        kind: 'latency-knee',
        severity: 'problem',
        text:
          `Past the knee: from ${fmtInt(a.vus)} to ${fmtInt(b.vus)} VUs (+${sig(du * 100)} %) P95 went from ${sig(a.latencyMs.p95)} ` +
          `to ${sig(b.latencyMs.p95)} ms (${sig(factor)}×) while throughput grew only ${sig(dx * 100)} %. Requests queue ` +
          `instead of being served: the stack saturates between these levels.`,
        basis: 'P95 and throughput of consecutive levels (steady windows)',
      };
    }
  }
  return null;
}

export function ladderErrorsRising(c: CapacityResult): Insight | null {
  const ls = c.levels.filter((l) => l.complete && l.requests > 0).sort((a, b) => a.vus - b.vus);
  if (ls.length < 2) return null;
  const first = ls[0]!, last = ls[ls.length - 1]!;
  if (last.errorRate <= c.targets.errorRate || last.errorRate < 2 * first.errorRate) return null;
  const breach = ls.find((l) => l.errorRate > c.targets.errorRate)!;
  return {
    kind: 'errors-rising',
    severity: 'problem',
    text:
      `Error rate rose with load: ${fmtPct(first.errorRate)} at ${fmtInt(first.vus)} VUs, ${fmtPct(last.errorRate)} at ` +
      `${fmtInt(last.vus)} VUs; it first exceeded the ${fmtPct(c.targets.errorRate)} target at ${fmtInt(breach.vus)} VUs.`,
    basis: 'error rate of each level\'s steady window',
  };
}

/** Everything worth saying about a ladder; `runs` maps a level's users to its run result when it could be read. */
export function capacityInsights(c: CapacityResult, runs: ReadonlyMap<number, RunResult> = new Map()): Insight[] {
  const out: Insight[] = [];
  for (const i of [ladderThroughputLimit(c), ladderLatencyKnee(c), ladderErrorsRising(c)]) if (i) out.push(i);
  for (const l of [...c.levels].sort((a, b) => a.vus - b.vus)) {
    const r = runs.get(l.users);
    if (!r) continue;
    for (const i of [generatorSaturated(r), droppedIterations(r), rateLimited(r)]) {
      if (i) out.push({ ...i, text: `At ${fmtInt(l.users)} users (${fmtInt(l.vus)} VUs): ${i.text}`, basis: `${l.dir}: ${i.basis}` });
    }
  }
  const rank = { problem: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
