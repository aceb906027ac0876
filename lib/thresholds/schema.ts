// The thresholds.json format v1 (the SLO file users edit): one TypeBox schema, the single source of its types,
// its validation and schemas/thresholds.schema.json.

import { Type, type Static } from '@sinclair/typebox';

export const THRESHOLDS_SCHEMA = 'conecta-load/thresholds@1' as const;

const CriterionText = Type.String({
  minLength: 1,
  description:
    'A comparison: "<300" or "<300ms" (latency), "<0.1%" (rate), ">=50" (throughput, requests/s); ' +
    'with a sign it is relative to the baseline: "<=+10%", "<=+50ms"',
});

const Criteria = Type.Union([CriterionText, Type.Array(CriterionText, { minItems: 1 })], {
  description: 'One criterion, or several that must all hold',
});

export const ObjectiveSpec = Type.Union(
  [
    CriterionText,
    Type.Array(CriterionText, { minItems: 1 }),
    Type.Literal(false),
    Type.Object(
      {
        pass: Criteria,
        warn: Type.Optional(Criteria),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'A target: criteria that must hold to pass; or {pass, warn} (Keptn tiers: failing pass but meeting warn is a ' +
      'warning, exit 0); false removes an inherited target',
  },
);

const metricKeys = {
  p50: 'Median latency',
  p75: '75th percentile latency',
  p90: '90th percentile latency',
  p95: '95th percentile latency',
  p99: '99th percentile latency',
  p999: '99.9th percentile latency',
  errorRate: 'Failed requests / requests (k6 http_req_failed, plus errors.alsoCount statuses)',
  rateLimitedRate: '429 responses / requests, judged apart from errors',
  throughput: 'Requests per second (a floor: ">=50")',
} as const;

export type MetricKey = keyof typeof metricKeys;
export const METRIC_KEYS = Object.keys(metricKeys) as MetricKey[];

const target = (description: string) => Type.Optional(Type.Union(ObjectiveSpec.anyOf, { description }));

export const Targets = Type.Object(
  {
    p50: target(metricKeys.p50),
    p75: target(metricKeys.p75),
    p90: target(metricKeys.p90),
    p95: target(metricKeys.p95),
    p99: target(metricKeys.p99),
    p999: target(metricKeys.p999),
    errorRate: target(metricKeys.errorRate),
    rateLimitedRate: target(metricKeys.rateLimitedRate),
    throughput: target(metricKeys.throughput),
  },
  { additionalProperties: false },
);

const MinSamples = Type.Integer({
  minimum: 0,
  description: 'Below this many requests a group is inconclusive (exit 3)',
});

export const EndpointOverrides = Type.Record(
  Type.String({ description: 'An endpoint `name` tag, globs allowed ("GET /api/v1/financeiro*")' }),
  Type.Object(
    {
      minSamples: Type.Optional(MinSamples),
      gating: Type.Optional(
        Type.Boolean({
          description:
            'The sequential gate (`gate --sequential`, `run --until-decided`) waits for and acts on these endpoints\' ' +
            'decisions; without it their decisions are advisory (reported, not stopping the run)',
        }),
      ),
      ...Targets.properties,
    },
    { additionalProperties: false },
  ),
);

export const BaselineRule = Type.Object(
  {
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Significance level, default 0.05' })),
    maxLatencyShift: Type.Optional(
      Type.String({ pattern: '^\\d+(\\.\\d+)?%$', description: 'Fail when the significant latency shift is larger, default "10%"' }),
    ),
    errorRate: Type.Optional(Type.Boolean({ description: 'Fail when the error rate rose significantly, default true' })),
    correction: Type.Optional(
      Type.Union([Type.Literal('bonferroni'), Type.Literal('none')], {
        description: 'Multiple-comparison correction over the groups compared, default "bonferroni"',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CapacityAssertion = Type.Object({
  users: Type.Integer({ minimum: 1 }),
  apiInstances: Type.Integer({ minimum: 1 }),
  dbConnections: Type.Integer({ minimum: 0 }),
  ramGb: Type.Number({ minimum: 0 }),
});

export const CapacitySection = Type.Object(
  {
    assertions: Type.Array(CapacityAssertion, { description: "The deployment document's capacity table, to be verified" }),
    targetUtilisation: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    redundancy: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { description: 'Read by the capacity planner (lib/capacity)' },
);

export const ProfileOverride = Type.Object(
  {
    minSamples: Type.Optional(MinSamples),
    targets: Type.Optional(Targets),
    endpoints: Type.Optional(EndpointOverrides),
  },
  { additionalProperties: false },
);

export const ResilienceRules = Type.Object(
  {
    outageBelow: Type.Optional(
      Type.String({ pattern: '^\\d+(\\.\\d+)?%$', description: 'A second is an outage below this success ratio, default "99%"' }),
    ),
    recoverHoldS: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds back within targets that count as recovered, default 5' })),
  },
  { additionalProperties: false, description: 'How fault-plan events are measured (lib/resilience)' },
);

export const ThresholdsFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schema: Type.Literal(THRESHOLDS_SCHEMA),
    minSamples: Type.Optional(MinSamples),
    errors: Type.Optional(
      Type.Object(
        {
          alsoCount: Type.Array(Type.String({ pattern: '^[1-5][0-9]{2}$' }), {
            description: 'Statuses k6 does not mark failed (e.g. "429") that count as errors here too',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    judgeEndpoints: Type.Optional(Type.Boolean({ description: 'Judge each endpoint on the targets too, default true' })),
    targets: Targets,
    endpoints: Type.Optional(EndpointOverrides),
    profiles: Type.Optional(Type.Record(Type.String({ description: 'Profile name, globs allowed ("load-*")' }), ProfileOverride)),
    baseline: Type.Optional(BaselineRule),
    capacity: Type.Optional(CapacitySection),
    k6: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, description: 'A k6 metric or submetric: "checks", "my_trend", "http_req_duration{scenario:browse}"' }),
        Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]),
        {
          description:
            'k6 threshold expressions on any metric ("rate>0.95", "avg<8", "p(95)<300"): given to k6 as thresholds and ' +
            'judged by the gate on the point estimate as k6 does, so one file serves both',
        },
      ),
    ),
    availability: Type.Optional(
      Type.String({ pattern: '^>=?\\s*\\d+(\\.\\d+)?%$', description: 'Availability target of runs with a fault plan, e.g. ">=99.9%" (default)' }),
    ),
    resilience: Type.Optional(ResilienceRules),
  },
  {
    additionalProperties: false,
    $id: 'https://conecta-load.dev/schemas/thresholds.schema.json',
    title: 'conecta-load thresholds v1',
  },
);

export type ObjectiveSpec = Static<typeof ObjectiveSpec>;
export type TargetsSpec = Static<typeof Targets>;
export type ThresholdsFile = Static<typeof ThresholdsFile>;
export type CapacitySection = Static<typeof CapacitySection>;
export type CapacityAssertion = Static<typeof CapacityAssertion>;
