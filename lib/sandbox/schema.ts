// The sandbox state file (`<cache>/sandbox-state/<port>.json`): which process serves a port, so `sandbox down`
// and a second `sandbox up` know about it. This TypeBox schema is its single source.

import { Type, type Static } from '@sinclair/typebox';

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
