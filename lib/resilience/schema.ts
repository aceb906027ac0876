// The `resilience` section of result.json, version 1: every fault-plan event with its time, action and outcome,
// and the availability figures measured over the run and over each event's window. Part of RunResult's schema.

import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const RESILIENCE_SCHEMA = 'conecta-load/resilience@1' as const;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Figures = Type.Object({
  requests: Type.Integer({ minimum: 0, description: 'Requests other than 429s' }),
  failed: Type.Integer({ minimum: 0, description: 'Failed requests (k6 http_req_failed)' }),
  availability: Nullable(Type.Number({ minimum: 0, maximum: 1, description: '(requests - failed) / requests; null with no requests' })),
  failedSeconds: Type.Integer({ minimum: 0, description: 'Seconds with at least one failed request' }),
  longestOutageS: Type.Integer({ minimum: 0, description: 'Longest run of consecutive seconds below the outage success ratio' }),
  longestOutageFromT: Nullable(Type.Integer({ description: 'Epoch second the longest outage started' })),
});

export const ErrorBudget = Type.Object({
  target: Type.Number({ minimum: 0, maximum: 1, description: 'Availability target, e.g. 0.999' }),
  allowedFailures: Type.Number({ minimum: 0, description: '(1 - target) × requests' }),
  failures: Type.Integer({ minimum: 0 }),
  remaining: Type.Number({ description: 'allowed - failures; negative when the budget is spent' }),
  consumed: Nullable(Type.Number({ minimum: 0, description: 'failures / allowed; null when nothing is allowed' })),
});

export const ExecOutcome = Type.Object({
  argv: Type.Array(Type.String()),
  exitCode: Nullable(Type.Integer()),
  signal: Type.Union([Type.String(), Type.Null()]),
  stdout: Type.String({ description: 'Last 4 KB' }),
  stderr: Type.String({ description: 'Last 4 KB' }),
  error: Type.Optional(Type.String({ description: 'Why it could not run (not found, timed out)' })),
});

export const ResilienceEvent = Type.Object({
  index: Type.Integer({ minimum: 1 }),
  action: Type.String({ description: '"restart:api-2", "kill:api-1", "exec:…"' }),
  kind: Type.String(),
  group: Type.Optional(Type.String({ description: 'The plan entry it came from, e.g. "rolling-restart@10s"' })),
  deploy: Type.Boolean({ description: 'A planned change (restart, scaling): judged on zero downtime' }),
  plannedAtS: Type.Number({ minimum: 0, description: 'Seconds after k6 started, as planned' }),
  atS: Nullable(Type.Number({ description: 'Seconds after k6 started, as taken' })),
  startedAtMs: Nullable(Type.Number({ description: 'Epoch ms' })),
  endedAtMs: Nullable(Type.Number({ description: 'Epoch ms' })),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
  detail: Type.String(),
  exec: Type.Optional(ExecOutcome),
  window: Nullable(Type.Object({ fromT: Type.Integer(), toT: Type.Integer() }, { description: 'Epoch seconds, inclusive' }) ),
  figures: Nullable(
    Type.Object({
      ...Figures.properties,
      recoverS: Nullable(Type.Integer({ minimum: 0, description: 'From the action to the first second back within targets for the hold' })),
      p95BeforeMs: Nullable(Type.Number({ minimum: 0, description: 'Request-weighted mean of per-second P95 before the event' })),
      p95DuringMs: Nullable(Type.Number({ minimum: 0, description: 'The same over the event window' })),
      extraP95Ms: Nullable(Type.Number({ description: 'during - before' })),
    }),
  ),
});

export const Resilience = Type.Object({
  schema: Type.Literal(RESILIENCE_SCHEMA),
  target: Type.String({ description: 'What the plan acted on: embedded, full or none' }),
  k6StartedAtMs: Type.Number({ description: 'Epoch ms the plan\'s times count from' }),
  settings: Type.Object({
    availabilityTarget: Type.Number({ minimum: 0, maximum: 1 }),
    outageBelow: Type.Number({ minimum: 0, maximum: 1, description: 'A second is an outage below this success ratio' }),
    recoverHoldS: Type.Integer({ minimum: 1 }),
    p95TargetMs: Type.Number({ minimum: 0 }),
    errorRateTarget: Type.Number({ minimum: 0, maximum: 1 }),
    beforeS: Type.Integer({ minimum: 1, description: 'Seconds before an event its latency is compared with' }),
  }),
  run: Type.Object({ ...Figures.properties, errorBudget: ErrorBudget }),
  events: Type.Array(ResilienceEvent),
});

export type Figures = Static<typeof Figures>;
export type ErrorBudget = Static<typeof ErrorBudget>;
export type Resilience = Static<typeof Resilience>;
export type ResilienceSettings = Resilience['settings'];
export type ResilienceEvent = Static<typeof ResilienceEvent>;
export type EventFigures = NonNullable<ResilienceEvent['figures']>;
