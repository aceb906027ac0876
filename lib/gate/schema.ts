// The gate's verdict format v1 (<run-dir>/verdict.json, `gate --json`): one TypeBox schema, the source of its types and
// validation. Renderers (text, Markdown, JUnit, annotations) all read this one object.

import { Type, type Static } from '@sinclair/typebox';

export const VERDICT_SCHEMA = 'conecta-load/verdict@1' as const;

export const Status = Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail'), Type.Literal('inconclusive')]);

export const BaselineTest = Type.Object({
  /** The significance level used, after any multiple-comparison correction. */
  alpha: Type.Number(),
  p: Type.Number({ minimum: 0, maximum: 1 }),
  z: Type.Number(),
  /** Mann–Whitney U of the candidate (latency shift only). */
  u: Type.Optional(Type.Number()),
  /** HL shift relative to the baseline median (latency shift only). */
  relativeShift: Type.Optional(Type.Number()),
  baselineValue: Type.Number({ description: 'Baseline median (ms) or error rate' }),
  baselineSamples: Type.Integer({ minimum: 0 }),
});

export const CriterionResult = Type.Object({
  /** "overall", or an endpoint's name tag. */
  group: Type.String(),
  /** p95, errorRate, throughput, … or latencyShift / errorRateChange against a baseline. */
  metric: Type.String(),
  kind: Type.Union([Type.Literal('target'), Type.Literal('baseline')]),
  unit: Type.Union([Type.Literal('ms'), Type.Literal('ratio'), Type.Literal('rps'), Type.Literal('number')]),
  measured: Type.Union([Type.Number(), Type.Null()], { description: 'Point estimate; null without data' }),
  ci: Type.Union(
    [Type.Object({ low: Type.Union([Type.Number(), Type.Null()]), high: Type.Union([Type.Number(), Type.Null()]), level: Type.Number() }), Type.Null()],
    { description: '95 % interval; a null side is unbounded with this many samples; null when none applies' },
  ),
  target: Type.String({ description: 'The target as displayed, e.g. "< 300 ms"' }),
  samples: Type.Integer({ minimum: 0 }),
  status: Status,
  /** The interval straddles the target: the status stands on the point estimate alone. */
  marginal: Type.Boolean(),
  note: Type.Optional(Type.String()),
  test: Type.Optional(BaselineTest),
  /** "k6": a threshold declared in the k6 script (`gate --k6-thresholds`); absent: from thresholds.json. */
  source: Type.Optional(Type.Literal('k6')),
  /** The k6 expression as written, e.g. "p(95)<300" (with source "k6"). */
  expression: Type.Optional(Type.String()),
  /** Judged by the sequential gate (`gate --sequential`, `run --until-decided`): its anytime-valid decision. */
  decision: Type.Optional(Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('undecided')])),
  /** Seconds from the run's first sample to the decision; null while undecided. */
  decidedAtS: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])),
  /** Reported, not deciding the verdict: an endpoint's criterion without `"gating": true` in thresholds.json. */
  advisory: Type.Optional(Type.Boolean()),
  /** Undecided: the requests in all, and at the observed rate the seconds more, that would decide it if the
   *  observed share held (null seconds: no rate; the object absent: the share sits on the target). */
  needs: Type.Optional(Type.Object({ moreRequests: Type.Integer({ minimum: 0 }), moreSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]) })),
});

/** One criterion's confidence sequence over the run, for the report's chart: the bounds on its share each second. */
export const SequenceSeries = Type.Object({
  group: Type.String(),
  metric: Type.String(),
  /** The share the target stands for (0.05 for "p95 < 300 ms"), and the side the share must be on to pass. */
  share: Type.Number({ minimum: 0, maximum: 1 }),
  passWhen: Type.Union([Type.Literal('below'), Type.Literal('above')]),
  decision: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('undecided')]),
  decidedAtS: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  /** [second from the run's first sample, lower bound, upper bound]. */
  points: Type.Array(Type.Tuple([Type.Number(), Type.Number(), Type.Number()])),
});

/** How the sequential gate judged: the method, where the sequence started and when the gating criteria were decided. */
export const SequentialSummary = Type.Object({
  alpha: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  method: Type.String({ description: 'The confidence sequence and how it accounts for dependence between requests' }),
  fromS: Type.Number({ minimum: 0, description: 'The second the sequence started at (the end of the ramp)' }),
  seconds: Type.Integer({ minimum: 0 }),
  /** The second every gating criterion was decided (a FAIL: the first failing one); null while any is undecided. */
  decidedAtS: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  series: Type.Array(SequenceSeries),
});

export const RunRef = Type.Object({
  scenario: Type.String(),
  profile: Type.String(),
  startedAt: Type.String(),
  complete: Type.Boolean(),
  requests: Type.Integer({ minimum: 0 }),
});

export const Verdict = Type.Object(
  {
    schema: Type.Literal(VERDICT_SCHEMA),
    verdict: Status,
    exitCode: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(3)]),
    scenario: Type.String(),
    profile: Type.String(),
    judgedAt: Type.String({ format: 'date-time' }),
    thresholdsFile: Type.String(),
    thresholdsSha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the thresholds file the run was judged with' }),
    runs: Type.Array(RunRef, { minItems: 1 }),
    baseline: Type.Optional(RunRef),
    /** Why the verdict is what it is, beyond single criteria (incomplete run, no data, skipped criteria). */
    reasons: Type.Array(Type.String()),
    counts: Type.Object({
      pass: Type.Integer({ minimum: 0 }),
      warn: Type.Integer({ minimum: 0 }),
      fail: Type.Integer({ minimum: 0 }),
      inconclusive: Type.Integer({ minimum: 0 }),
      marginal: Type.Integer({ minimum: 0 }),
    }),
    criteria: Type.Array(CriterionResult),
    /** Present when the sequential gate judged the run. */
    sequential: Type.Optional(SequentialSummary),
  },
  { $id: 'https://conecta-load.dev/schemas/verdict.schema.json', title: 'conecta-load gate verdict v1' },
);

export type Status = Static<typeof Status>;
export type CriterionResult = Static<typeof CriterionResult>;
export type BaselineTest = Static<typeof BaselineTest>;
export type RunRef = Static<typeof RunRef>;
export type Verdict = Static<typeof Verdict>;
export type SequenceSeries = Static<typeof SequenceSeries>;
export type SequentialSummary = Static<typeof SequentialSummary>;

/** A capacity level's gate verdict in short: its status (or not judged) and the criteria that failed. */
export const GateSummary = Type.Object({
  verdict: Type.Union([
    Type.Literal('pass'),
    Type.Literal('warn'),
    Type.Literal('fail'),
    Type.Literal('inconclusive'),
    Type.Literal('not-judged'),
  ]),
  failed: Type.Array(Type.String(), { description: 'Criteria that failed at this level (names as the gate gives them)' }),
});

export type GateSummary = Static<typeof GateSummary>;
