// The full stack's state file (`<cache>/sandbox-state/<port>.full.json`): every process of the stack with its
// pid, so `sandbox down` stops each one even after the starting process died, the options it started with, so a
// restart or scale starts a component the same way, and its budgets with the cgroups that hold them, so `down`
// removes them. This TypeBox schema is its single source.

import { Type, type Static } from '@sinclair/typebox';
import { StackComponent } from '../schema.js';

export const FULL_STATE_SCHEMA = 'conecta-load/sandbox-full-state@2' as const;

const PerKind = Type.Object({
  api: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), db: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  cache: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), proxy: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});

/** The budgets a stack runs on, and where the kernel holds them. */
export const StackBudget = Type.Object({
  mode: Type.Union([Type.Literal('isolated'), Type.Literal('shared')], { description: 'shared: no cgroup could be written; every component shares every CPU' }),
  why: Type.Optional(Type.String({ description: 'shared: why no cgroup could be written' })),
  cgroupVersion: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  plan: Type.Object({
    cores: Type.Integer({ minimum: 1 }),
    stackCpus: Type.String({ description: 'the CPU set of every stack component (cpuset list)' }),
    generatorCpus: Type.String({ description: 'the CPU set reserved for the load generator, disjoint from the stack’s when the machine has 2+ CPUs' }),
    cpu: Type.Object(PerKind.properties, { description: 'CFS quota in cores per API instance, PostgreSQL node, Redis node, nginx' }),
    mem: Type.Object(PerKind.properties, { description: 'memory limit in bytes, per the same components' }),
    generatorCpu: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "the generator group's CFS quota in cores (k6 starved on purpose)" })),
  }),
  dirs: Type.Array(Type.String(), { description: 'the conecta-load-<port> group per controller: down removes these subtrees' }),
  groups: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'component (or generator) → its group directories' }),
  summary: Type.String(),
});
export type StackBudget = Static<typeof StackBudget>;

export const FullStackState = Type.Object({
  schema: Type.Literal(FULL_STATE_SCHEMA),
  stack: Type.Literal('full'),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  root: Type.String({ description: 'the stack folder (configs, data dirs, logs, secrets)' }),
  startedAt: Type.String({ description: 'ISO 8601' }),
  /** API instances now (a scale changes it). */
  instances: Type.Integer({ minimum: 1 }),
  options: Type.Object({
    port: Type.Integer(), instances: Type.Integer(), workers: Type.Integer(), poolSize: Type.Integer(),
    dataDir: Type.String(), seedScale: Type.Number(), seed: Type.Integer(), tokenTtlS: Type.Integer(),
    limits: Type.Union([Type.Null(), Type.Object({ perMinute: Type.Integer(), loginsPer5Min: Type.Integer() })]),
    promoted: Type.Optional(Type.Boolean({ description: 'the replica was promoted: the APIs use it as their only database' })),
  }),
  budget: StackBudget,
  components: Type.Array(StackComponent),
});
export type FullStackState = Static<typeof FullStackState>;
