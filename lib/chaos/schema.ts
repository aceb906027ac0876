// The fault-plan file format v1 (`run --plan <file>`): a JSON file whose `chaos` section lists actions and when to
// take them. One TypeBox schema, the source of its types, its validation and schemas/chaos-plan.schema.json.

import { Type, type Static } from '@sinclair/typebox';

export const CHAOS_PLAN_SCHEMA = 'conecta-load/chaos-plan@1' as const;

const Duration = Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })], {
  description: 'Seconds after k6 starts: "61s", "1m30s" or a number of seconds',
});

export const ChaosStep = Type.Object(
  {
    at: Duration,
    action: Type.String({
      minLength: 1,
      description: 'rolling-restart, restart:api-N, kill:api-N, kill:object-storage, promote-replica, failover:redis, scale:N, or exec (with argv)',
    }),
    argv: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'exec: the command as an argument vector (no shell)' })),
    gap: Type.Optional(Duration),
  },
  { additionalProperties: false },
);

export const ChaosPlanFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schema: Type.Optional(Type.Literal(CHAOS_PLAN_SCHEMA)),
    chaos: Type.Array(ChaosStep, { description: 'Actions on the target during the run, in any order' }),
  },
  { $id: 'https://conecta-load.dev/schemas/chaos-plan.schema.json', title: 'conecta-load fault plan v1', additionalProperties: false },
);

export type ChaosStep = Static<typeof ChaosStep>;
export type ChaosPlanFile = Static<typeof ChaosPlanFile>;
