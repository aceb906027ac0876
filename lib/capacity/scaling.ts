// Instances from measurement: the same ladder measured at each API instance count (`capacity run --instances
// 1,2,3`), per-instance throughput fitted from those runs (USL over the instance count), and the verdict on what
// adding instances buys — said from the measurement, never extrapolated from one topology. Pure analysis.

import { Type, type Static } from '@sinclair/typebox';
import { fitUsl } from './usl.js';
import type { CapacityResult } from './schema.js';

export const SCALING_SCHEMA = 'conecta-load/instance-scaling@1' as const;
export const SCALING_FILE = 'instances.json';

/** Throughput gained by going from the fewest to the most instances below which we say "adds nothing". */
export const NOTHING_GAINED = 0.1;

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const InstancePoint = Type.Object({
  instances: Type.Integer({ minimum: 1 }),
  capacityDir: Type.String(),
  /** Highest steady-window throughput of a level within the targets (the stack's useful capacity at this count). */
  throughputAtTargetRps: Nullable(Type.Number({ minimum: 0 })),
  peakThroughputRps: Type.Number({ minimum: 0 }),
  maxUsersHeld: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  topLevelP95Ms: Type.Number({ minimum: 0 }),
  /** Mean idle CPU of the machine at the top level: a shared CPU with none left means instances compete for it. */
  topLevelIdleCores: Nullable(Type.Number({ minimum: 0 })),
});

export const InstanceScaling = Type.Object({
  schema: Type.Literal(SCALING_SCHEMA),
  createdAt: Type.String({ format: 'date-time' }),
  target: Type.String(),
  levels: Type.Array(Type.Integer({ minimum: 1 })),
  points: Type.Array(InstancePoint),
  fit: Type.Object({
    model: Type.String(),
    /** X(1): what one instance gives, from the fit over instance counts. */
    perInstanceRps: Type.Number({ minimum: 0 }),
    /** Contention σ over instances: 0 is linear scaling, 1 is none at all. */
    sigma: Type.Number({ minimum: 0, maximum: 1 }),
    rSquared: Type.Number(),
  }),
  /** Measured throughput at the most instances over the fewest, minus 1. */
  gain: Type.Number(),
  /** Some instance count broke the targets within the ladder: below saturation, throughput is set by the users. */
  saturated: Type.Boolean(),
  addsNothing: Type.Boolean(),
  conclusion: Type.String(),
}, { $id: 'https://conecta-load.dev/schemas/instance-scaling.schema.json', title: 'conecta-load instance scaling v1' });
export type InstanceScaling = Static<typeof InstanceScaling>;
export type InstancePoint = Static<typeof InstancePoint>;

export function instancePoint(instances: number, capacityDir: string, c: CapacityResult): InstancePoint {
  const done = c.levels.filter((l) => l.complete && l.requests > 0);
  const held = done.filter((l) => l.verdict.steady.withinTargets);
  const top = done[done.length - 1];
  return {
    instances, capacityDir,
    throughputAtTargetRps: held.length ? Math.max(...held.map((l) => l.throughputRps)) : null,
    peakThroughputRps: Math.max(0, ...done.map((l) => l.throughputRps)),
    maxUsersHeld: held.length ? Math.max(...held.map((l) => l.users)) : null,
    topLevelP95Ms: top?.latencyMs.p95 ?? 0,
    topLevelIdleCores: top?.generator?.hostIdleCores ?? null,
  };
}

export function analyzeScaling(target: string, levels: readonly number[], points: readonly InstancePoint[], cores: number, now: Date): InstanceScaling {
  const pts = [...points].sort((a, b) => a.instances - b.instances);
  const usl = fitUsl(pts.map((p) => ({ n: p.instances, x: p.peakThroughputRps })));
  const first = pts[0]!, last = pts[pts.length - 1]!;
  const gain = first.peakThroughputRps > 0 ? last.peakThroughputRps / first.peakThroughputRps - 1 : 0;
  const top = Math.max(0, ...levels);
  const saturated = pts.some((p) => p.maxUsersHeld === null || p.maxUsersHeld < top);
  const addsNothing = saturated && pts.length > 1 && gain < NOTHING_GAINED && (last.maxUsersHeld ?? 0) <= (first.maxUsersHeld ?? 0);
  const idle = last.topLevelIdleCores;
  const series = pts.map((p) => `${p.instances}: ${p.peakThroughputRps.toFixed(0)} rps, ${p.maxUsersHeld ?? 'no'} users held, P95 ${p.topLevelP95Ms.toFixed(0)} ms at the top level`).join('; ');
  let conclusion: string;
  if (pts.length < 2) conclusion = `one instance count measured (${series}): nothing to compare`;
  else if (!saturated) {
    conclusion = `no instance count was saturated: every one held all ${top} users (${series}); below saturation the ` +
      'throughput is what the users ask for at their think time, so this ladder cannot tell what more instances buy: add higher levels';
  } else if (addsNothing) {
    conclusion = `more instances add nothing here: ${series} (throughput ${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(0)} % from ${first.instances} to ${last.instances} instances). ` +
      `Every instance runs on the same ${cores} cores${idle !== null ? ` (${idle.toFixed(2)} idle at the top level)` : ''}, shared with the load generator: ` +
      'the shared CPU is the limit, so the document\'s "add api-4, api-5" needs more machines, not more processes on this one';
  } else {
    conclusion = `instances scale: ${series}; fitted ${usl.lambda.toFixed(0)} rps per instance with contention σ = ${usl.sigma.toFixed(2)}`;
  }
  return {
    schema: SCALING_SCHEMA, createdAt: now.toISOString(), target, levels: [...levels], points: pts,
    fit: { model: usl.model, perInstanceRps: usl.lambda, sigma: usl.sigma, rSquared: usl.rSquared },
    gain, saturated, addsNothing, conclusion,
  };
}
