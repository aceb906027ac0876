// The embedded sandbox's state file (`<cache>/sandbox-state/<port>.json`): which process serves a port, so
// `sandbox down` and a second `sandbox up` know about it; and a stack component, the record both stacks share.
// These TypeBox schemas are their single source.

import { Type, type Static } from '@sinclair/typebox';

/** What a component of a stack does; a new kind of component (an object store) is one more literal here. */
export const ComponentRole = Type.Union([Type.Literal('balancer'), Type.Literal('api'), Type.Literal('database'), Type.Literal('cache'),
  Type.Literal('sentinel'), Type.Literal('storage'), Type.Literal('monitoring'), Type.Literal('exporter')]);
export type ComponentRole = Static<typeof ComponentRole>;

/** One process of a stack, as a state file records it and `status()` lists it. */
export const StackComponent = Type.Object({
  name: Type.String({ description: 'nginx, api-N, postgres-primary, postgres-replica, redis-*, prometheus, <exporter>; balancer for the embedded supervisor' }),
  role: ComponentRole,
  pid: Type.Integer({ minimum: 1 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  url: Type.Optional(Type.String()),
  logFile: Type.Optional(Type.String()),
});
export type StackComponent = Static<typeof StackComponent>;

export const SANDBOX_STATE_SCHEMA = 'conecta-load/sandbox-state@1' as const;

export const SandboxState = Type.Object({
  schema: Type.Literal(SANDBOX_STATE_SCHEMA),
  pid: Type.Integer({ minimum: 1, description: 'Supervisor process (leader of its process group when detached)' }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  url: Type.String(),
  instances: Type.Integer({ minimum: 1 }),
  dataDir: Type.String(),
  logFile: Type.String({ description: 'JSON-lines log of the balancer and instances' }),
  outFile: Type.String({ description: 'stdout/stderr of the supervisor' }),
  startedAt: Type.String({ description: 'ISO 8601' }),
  detached: Type.Boolean({ description: 'true for `sandbox up`, false for `sandbox serve` in the foreground' }),
});
export type SandboxState = Static<typeof SandboxState>;
