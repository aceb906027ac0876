// Instances from measurement: the same ladder measured at each API instance count (`capacity run --instances
// 1,2,3`), per-instance throughput fitted from those runs (USL over the instance count), users per instance of the
// declared size fitted from each count's capacity, the document's instance cells judged for that size, and the
// verdict on what adding instances buys — said from the measurement, never extrapolated from one topology. Pure.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { fitUsl } from './usl.js';
import type { CapacityResult } from './schema.js';

/** v2: the instance size, each count's capacity with its interval, users per instance and the document's cells. */
export const SCALING_SCHEMA = 'conecta-load/instance-scaling@2' as const;
export const SCALING_FILE = 'instances.json';

/** Throughput gained by going from the fewest to the most instances below which we say "adds nothing". */
export const NOTHING_GAINED = 0.1;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

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
  /** capacity.json's capacity at this count (users held, interval; high null: nothing broke); null when nothing held. */
  capacity: Type.Union([Type.Object({ users: Type.Integer(), low: Type.Integer(), high: Type.Union([Type.Integer(), Type.Null()]) }), Type.Null()]),
});

/** What one instance is: its CPU quota and memory limit as declared, and how the counts were made. */
export const InstanceSize = Type.Object({
  cpu: Nullable(Type.Number({ exclusiveMinimum: 0, description: 'CPU quota per API instance, cores (--api-cpu); null: not declared' })),
  memBytes: Nullable(Type.Number({ exclusiveMinimum: 0, description: 'Memory limit per API instance (--api-mem); null: not declared' })),
  how: Type.String({ description: 'Which stack was resized and how (bundled full or embedded stack restarted, or --scale-command)' }),
});
export type InstanceSize = Static<typeof InstanceSize>;

/** An asserted "N users need k instances" cell judged against instances of the declared size. */
export const InstanceCell = Type.Object({
  users: Type.Integer({ minimum: 1 }),
  asserted: Type.Integer({ minimum: 0 }),
  /** Instances of the declared size that hold these users within the targets, from the fitted users per instance. */
  needed: Type.Object({ value: Type.Integer(), low: Type.Integer(), high: Nullable(Type.Integer()) }),
  /** The same with the sizing rule: at the target utilisation, plus the redundancy. */
  neededByRule: Type.Integer(),
  verdict: Type.Union([Type.Literal('suffices'), Type.Literal('too-few'), Type.Literal('not-measurable')]),
  line: Type.String(),
});
export type InstanceCell = Static<typeof InstanceCell>;

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
  instanceSize: InstanceSize,
  /**
   * Users one instance of that size holds: the slope through the origin of each count's capacity (Σn·u / Σn²), low
   * and high from the counts' intervals the same way; lowerBound when some count broke nothing (its capacity is "at least").
   */
  perInstanceUsers: Nullable(Type.Object({ value: Type.Number(), low: Type.Number(), high: Nullable(Type.Number()), lowerBound: Type.Boolean() })),
  cells: Type.Array(InstanceCell),
  /** Measured throughput at the most instances over the fewest, minus 1. */
  gain: Type.Number(),
  /** Some instance count broke the targets within the ladder: below saturation, throughput is set by the users. */
  saturated: Type.Boolean(),
  addsNothing: Type.Boolean(),
  conclusion: Type.String(),
}, { $id: 'https://conecta-load.dev/schemas/instance-scaling.schema.json', title: 'conecta-load instance scaling v2' });
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
    capacity: c.capacity ? { users: c.capacity.users, low: c.capacity.low, high: c.capacity.high } : null,
  };
}

/** Users per instance through the origin over the counts that held something (least squares: Σn·u / Σn²). */
export function usersPerInstance(points: readonly InstancePoint[]): InstanceScaling['perInstanceUsers'] {
  const pts = points.filter((p) => p.capacity !== null);
  if (!pts.length) return null;
  const nn = pts.reduce((a, p) => a + p.instances ** 2, 0);
  const slope = (f: (p: InstancePoint) => number) => pts.reduce((a, p) => a + p.instances * f(p), 0) / nn;
  const open = pts.some((p) => p.capacity!.high === null);
  return { value: slope((p) => p.capacity!.users), low: slope((p) => p.capacity!.low), high: open ? null : slope((p) => p.capacity!.high!), lowerBound: open };
}

/** The sizing rule the cells are also judged by: plan each instance at `targetUtilisation`, add `redundancy` spares. */
export interface SizingRule { targetUtilisation: number; redundancy: number }

const cpuOf = (s: InstanceSize) => (s.cpu === null ? 'undeclared size' : `${s.cpu} CPU${s.memBytes ? `, ${Math.round(s.memBytes / 1024 ** 2)} MiB` : ''}`);

/** Each asserted "users → API instances" cell against instances of the declared size. */
export function judgeInstanceCells(cells: readonly { users: number; apiInstances?: number }[], per: InstanceScaling['perInstanceUsers'], size: InstanceSize, rule: SizingRule): InstanceCell[] {
  const ruleText = `${Math.round(rule.targetUtilisation * 100)} % utilisation, N+${rule.redundancy}`;
  return cells.filter((c): c is { users: number; apiInstances: number } => c.apiInstances !== undefined).map((c) => {
    if (per === null || per.value <= 0) {
      return { users: c.users, asserted: c.apiInstances, needed: { value: 0, low: 0, high: null }, neededByRule: 0, verdict: 'not-measurable' as const,
        line: `${c.users} users need ${c.apiInstances} instances: not measurable, no instance count held the targets` };
    }
    const need = (perUser: number) => Math.max(1, Math.ceil(c.users / perUser - 1e-9));
    const needed = { value: need(per.value), low: per.high === null ? 1 : need(per.high), high: per.low > 0 ? need(per.low) : null };
    const neededByRule = Math.ceil(c.users / (per.value * rule.targetUtilisation) - 1e-9) + rule.redundancy;
    const verdict = c.apiInstances >= needed.value ? 'suffices' as const : 'too-few' as const;
    const range = needed.high === null ? `${needed.low}+` : needed.low === needed.high ? `${needed.low}` : `${needed.low}–${needed.high}`;
    const line = `${c.users} users need ${c.apiInstances} instances (asserted): instances of ${cpuOf(size)} hold ${per.value.toFixed(0)} users each ` +
      `(${per.lowerBound ? 'at least: some count broke nothing' : `${per.low.toFixed(0)}–${per.high!.toFixed(0)}`}), so ${needed.value} (${range}) hold ${c.users} users within the targets ` +
      `and the rule (${ruleText}) plans ${neededByRule}: ${verdict === 'suffices' ? `${c.apiInstances} suffice${c.apiInstances > neededByRule ? `, ${c.apiInstances - neededByRule} above the rule` : c.apiInstances > needed.value ? `, the ${c.apiInstances - needed.value} above what held being the rule's headroom` : ''}` : `${c.apiInstances} are too few`}`;
    return { users: c.users, asserted: c.apiInstances, needed, neededByRule, verdict, line };
  });
}

export interface ScalingInput {
  target: string;
  levels: readonly number[];
  points: readonly InstancePoint[];
  /** CPUs of this machine. */
  cores: number;
  now: Date;
  size: InstanceSize;
  /** The document's asserted cells (thresholds.json capacity.assertions) and the sizing rule. */
  cells?: readonly { users: number; apiInstances?: number }[];
  rule?: SizingRule;
}

export function analyzeScaling(input: ScalingInput): InstanceScaling {
  const { target, levels, points, cores, now } = input;
  const pts = [...points].sort((a, b) => a.instances - b.instances);
  const per = usersPerInstance(pts);
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
  // Below saturation the counts' capacities are only floors: the conclusion already says the ladder cannot tell.
  if (per && saturated && pts.length > 1) {
    conclusion += `; one instance of ${cpuOf(input.size)} holds ${per.lowerBound ? 'at least ' : ''}${per.value.toFixed(0)} users` +
      (per.lowerBound ? '' : ` (${per.low.toFixed(0)}–${per.high!.toFixed(0)})`);
  }
  return {
    schema: SCALING_SCHEMA, createdAt: now.toISOString(), target, levels: [...levels], points: pts,
    fit: { model: usl.model, perInstanceRps: usl.lambda, sigma: usl.sigma, rSquared: usl.rSquared },
    instanceSize: input.size, perInstanceUsers: per,
    cells: judgeInstanceCells(input.cells ?? [], per, input.size, input.rule ?? { targetUtilisation: 0.7, redundancy: 1 }),
    gain, saturated, addsNothing, conclusion,
  };
}

/** The sweep in a few lines: throughput and capacity per count, the fit, the document's cells, the conclusion. */
export function formatScaling(s: InstanceScaling): string {
  const out = [`Instances (${s.instanceSize.how}):`];
  for (const p of s.points) {
    const c = p.capacity;
    const cap = c === null ? 'no level held' : c.high === null ? `holds at least ${c.users} users` : `holds ${c.users} users (${c.low}–${c.high})`;
    out.push(`  ${String(p.instances).padStart(3)}: ${p.peakThroughputRps.toFixed(1).padStart(8)} rps at most, ${(p.throughputAtTargetRps ?? 0).toFixed(1).padStart(8)} rps within the targets, ${cap}`);
  }
  out.push(`  fit: ${s.fit.perInstanceRps.toFixed(1)} rps per instance (${s.fit.model}, σ = ${s.fit.sigma.toFixed(2)}, R² = ${s.fit.rSquared.toFixed(3)})` +
    (s.perInstanceUsers ? `; ${s.perInstanceUsers.lowerBound ? 'at least ' : ''}${s.perInstanceUsers.value.toFixed(0)} users per instance` +
      (s.perInstanceUsers.high === null ? '' : ` (${s.perInstanceUsers.low.toFixed(0)}–${s.perInstanceUsers.high.toFixed(0)})`) : ''));
  for (const c of s.cells) out.push(`  ${c.verdict.toUpperCase()}: ${c.line}`);
  out.push(s.conclusion);
  return out.join('\n') + '\n';
}
