// The full stack's state file (`<cache>/sandbox-state/<port>.full.json`): every process of the stack with its
// pid, so `sandbox down` stops each one even after the starting process died, and the options it started with,
// so a restart or scale starts a component the same way. This TypeBox schema is its single source.

import { Type, type Static } from '@sinclair/typebox';
import { StackComponent } from '../schema.js';

export const FULL_STATE_SCHEMA = 'conecta-load/sandbox-full-state@1' as const;

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
  components: Type.Array(StackComponent),
});
export type FullStackState = Static<typeof FullStackState>;
