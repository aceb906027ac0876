// The run record format v2 (<run-dir>/run.json): how a run was started — the exact k6 command, its environment
// (secrets removed) and the options given — so it can be repeated by hand. One TypeBox schema, like every file written.

import { Type, type Static } from '@sinclair/typebox';
import { RunBudget } from '../result/schema.js';

// v2: no thresholds file any more — k6 is not given thresholds.json's targets (the gate alone judges them).
export const RUN_RECORD_SCHEMA = 'conecta-load/run@2' as const;

const StringMap = Type.Record(Type.String(), Type.String());

export const RunRecord = Type.Object(
  {
    schema: Type.Literal(RUN_RECORD_SCHEMA),
    k6: Type.Object({
      path: Type.String(),
      version: Type.String(),
      args: Type.Array(Type.String(), { description: 'k6 command-line arguments after the binary' }),
    }),
    env: StringMap,
    options: Type.Object({
      scenario: Type.String(),
      profile: Type.String(),
      target: Type.String(),
      scale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      steadyS: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      outDir: Type.Optional(Type.String()),
      localIps: Type.Optional(Type.String()),
      env: Type.Optional(StringMap),
      labels: Type.Optional(StringMap),
      script: Type.Optional(Type.String({ description: "The user's own k6 script, as given; the bundle k6 ran is script.js beside run.json" })),
      caCert: Type.Optional(Type.String({ description: 'The --ca-cert file k6 trusted (as SSL_CERT_FILE), absolute' })),
    }),
    sourceAddresses: Type.Optional(
      Type.Object({
        count: Type.Integer({ minimum: 1, description: 'Source addresses k6 used (1 without --local-ips)' }),
        addresses: Type.Integer({ minimum: 1 }),
        usersPerAddress: Type.Integer({ minimum: 1, description: 'At most this many VUs share one address' }),
        limitedBy: Type.Union([Type.Literal('rate'), Type.Literal('login'), Type.Literal('none')]),
        requestsPerMinutePerAddress: Type.Number({ minimum: 0, description: "Little's law, response time taken as 0" }),
        limits: Type.Union([Type.Null(), Type.Object({ perMinute: Type.Number(), loginsPer5Min: Type.Number() })]),
        limitsFrom: Type.Union([Type.Literal('target'), Type.Literal('options'), Type.Literal('document')]),
      }, { description: "How many source addresses, and why: the target's per-address limits and Little's law" }),
    ),
    budget: Type.Optional(RunBudget),
  },
  { $id: 'https://conecta-load.dev/schemas/run.schema.json', title: 'conecta-load run record v2' },
);

export type RunRecord = Static<typeof RunRecord>;
