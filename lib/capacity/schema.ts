// The capacity format v2 (`capacity.json`): what a load ladder measured, the models fitted to it and the sizing
// they imply, each figure with its interval. This TypeBox schema is its single source (types, validation, JSON Schema).

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DbTime, ResourceSummary } from '../collect/schema.js';
import { GateSummary } from '../gate/schema.js';
import { RunBudget } from '../result/schema.js';

export const CAPACITY_SCHEMA = 'conecta-load/capacity@2' as const;
/** v1 kept absolute run directories whose meaning changed with the ladder's mode; it is refused, not read. */
export const CAPACITY_SCHEMA_V1 = 'conecta-load/capacity@1' as const;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A predicted quantity: point value and interval (prediction interval where a model gives one). */
export const Estimate = Type.Object(
  {
    value: Type.Number(),
    low: Type.Number(),
    high: Type.Number(),
    extrapolated: Type.Boolean({
      description: 'true when the input lies beyond 2× the largest measured level: the model is stretched, trust it less',
    }),
  },
  { description: 'A point estimate with its interval [low, high]' },
);

/** thresholds.json's targets as the ladder plans with them (lib/capacity/ladder/run.ts derives them): numbers, not criteria. */
export const CapacityTargets = Type.Object({
  p95Ms: Type.Number({ minimum: 0, description: 'Latency target a level must hold (P95, ms)' }),
  p99Ms: Type.Number({ minimum: 0, description: 'Peak latency target (P99, ms)' }),
  errorRate: Type.Number({ minimum: 0, maximum: 1, description: 'Highest error rate a level may show' }),
  targetUtilisation: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Fraction of an instance\'s capacity to plan for (0.7)' }),
  redundancy: Type.Integer({ minimum: 0, description: 'Spare instances added to what load needs (1 = N+1)' }),
  thinkTimeS: Type.Number({ minimum: 0, description: 'Mean think time Z between a user\'s requests, seconds (R = N/X − Z)' }),
});

export const GeneratorWatch = Type.Object({
  k6CpuCores: Nullable(Type.Number({ minimum: 0, description: 'k6\'s mean CPU in the window, in cores' })),
  k6CpuShare: Nullable(Type.Number({ minimum: 0, description: 'k6CpuCores over the machine\'s cores' })),
  k6RssBytes: Nullable(Type.Number({ minimum: 0, description: 'k6\'s peak RSS in the window' })),
  rssPerVuBytes: Nullable(Type.Number({ minimum: 0 })),
  droppedIterations: Type.Integer({ minimum: 0 }),
  hostIdleCores: Nullable(Type.Number({ minimum: 0, description: 'Idle CPU of the machine k6 ran on (mean over the window)' })),
  hostStealCores: Type.Optional(Type.Number({ minimum: 0, description: 'CPU the hypervisor gave other guests while this machine had work (steal time, mean over the window): noise no cgroup inside it isolates' })),
  hostCores: Type.Integer({ minimum: 1 }),
  bound: Type.Boolean({ description: 'The generator was the bottleneck: the level is reported but left out of the models' }),
  reason: Nullable(Type.String()),
}, { description: 'The load generator watched over the steady window' });

const Component = Type.Union(['generator', 'proxy', 'api', 'db', 'cache'].map((c) => Type.Literal(c)));
const Parts = Type.Record(Type.String(), Type.Number(), {
  description: 'ms per request by part: generator, proxy, api, db, cache (each where its witness was measured) and unexplained (k6 − Σ, signed)',
});

export const Decomposition = Type.Object({
  totalMs: Type.Number({ minimum: 0, description: "k6's mean http_req_duration over the steady window" }),
  parts: Parts,
  p95: Type.Object({ totalMs: Type.Number({ minimum: 0 }), parts: Parts }, {
    description: "k6's P95 split by each part's own P95 where its witness has one (k6's phases), its mean elsewhere: P95s do not add, unexplained shows by how much",
  }),
  explained: Type.Boolean({ description: 'The measured parts add up to totalMs within 15 % or 2 ms' }),
  note: Nullable(Type.String({ description: 'When not explained: how much is unexplained' })),
  server: Type.Optional(Type.Object({
    meanMs: Type.Number({ minimum: 0, description: "Mean time in the API's handler per request it handled (its own histogram: Σ seconds / count)" }),
    byRoute: Type.Record(Type.String(), Type.Number({ minimum: 0 }), { description: 'The same per route (endpoint template)' }),
  }, { description: "The server's own time, from the API's handler histogram (prom-client http_request_duration_seconds): beside the parts, not one of them (it holds the DB and cache waits)" })),
}, { description: 'Where the level\'s latency went (lib/capacity/decompose.ts)' });

export const Bottleneck = Type.Object({
  component: Component,
  utilisation: Type.Number({ minimum: 0, description: 'Busy CPU over its budget' }),
  demandMs: Type.Number({ minimum: 0, description: 'Service demand D: ms of its whole budget per completed request' }),
  boundRps: Type.Number({ minimum: 0, description: 'Throughput bound 1/D' }),
}, { description: 'The component with the largest service demand (operational laws, lib/capacity/laws.ts)' });

export const ComponentDemand = Type.Object({
  component: Component,
  utilisation: Type.Number({ minimum: 0 }),
  demandMs: Type.Number({ minimum: 0 }),
  budgetCores: Type.Number({ minimum: 0 }),
  budgetSource: Type.String(),
});

export const LevelBandwidth = Type.Object({
  inBytesPerS: Type.Number({ minimum: 0, description: 'Request body bytes per second clients sent (result.json\'s overall bytes.sent over the window)' }),
  outBytesPerS: Type.Number({ minimum: 0, description: 'Response body bytes per second the stack answered' }),
  storedBytesPerS: Type.Number({ minimum: 0, description: 'The part of inBytesPerS the object store keeps (file uploads)' }),
  cacheHitRatio: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'nginx cache HITs over its cache lookups (access log); null without them' })),
  storeCpuCores: Nullable(Type.Number({ minimum: 0, description: 'The object store\'s mean CPU over the window (process collector)' })),
  storeMemoryBytes: Nullable(Type.Number({ minimum: 0, description: 'The object store\'s mean RSS over the window (process collector)' })),
  storeDiskReadBytesPerS: Type.Optional(Nullable(Type.Number({ minimum: 0, description: 'Bytes per second the object store read from storage (/proc/PID/io read_bytes; page-cache hits are not reads)' }))),
  storeDiskWriteBytesPerS: Type.Optional(Nullable(Type.Number({ minimum: 0, description: 'Bytes per second the object store wrote to storage (/proc/PID/io write_bytes)' }))),
}, { description: 'Bytes over the steady window: absent when the scenario counted none' });

export const SizingBandwidth = Type.Object({
  inBytesPerS: Type.Number({ minimum: 0 }),
  outBytesPerS: Type.Number({ minimum: 0 }),
  storageBytesPerDay: Type.Number({ minimum: 0, description: 'What the object store grows by in a day at this user count' }),
}, { description: 'The levels\' bytes per user per second, times the users' });

export const FirstLimit = Type.Object({
  limitedBy: Type.Union([Type.Literal('bandwidth'), Type.Literal('cpu'), Type.Literal('unknown')]),
  bandwidthUsers: Nullable(Type.Integer({ minimum: 0, description: 'Users at which the busier direction fills the link' })),
  cpuUsers: Nullable(Type.Number({ minimum: 0, description: 'Users the measured capacity holds' })),
  linkBytesPerS: Type.Number({ exclusiveMinimum: 0 }),
  line: Type.String(),
}, { description: 'Which limit a growing load meets first: the link\'s bandwidth or the capacity the ladder measured' });

export const Level = Type.Object({
  users: Type.Integer({ minimum: 1, description: 'Nominal users of the level (the N in profile load-<N>)' }),
  vus: Type.Integer({ minimum: 0, description: 'Concurrent VUs reached (users × scale): the concurrency N the models use' }),
  scale: Type.Number({ minimum: 0 }),
  profile: Type.String(),
  runDir: Type.String({ description: 'The k6 run that measured this level (its result.json is the whole run: a staircase\'s, or the level\'s own run), relative to capacity.json' }),
  dir: Type.String({ description: 'This level\'s directory, relative to capacity.json: level.json, result.json (the steady window\'s requests) and verdict.json (the gate over them)' }),
  window: Type.Object({
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
  }, { description: 'The steady window the figures below cover' }),
  warmup: Type.Optional(Type.Object({
    leftOutS: Type.Integer({ minimum: 0, description: 'Seconds of the plateau before the window, the fixed settle included' }),
    p95BeforeMs: Type.Number({ minimum: 0, description: 'Per-second P95 over the seconds left out (geometric mean)' }),
    p95AfterMs: Type.Number({ minimum: 0, description: 'Per-second P95 once it stopped falling (geometric mean)' }),
  }, { description: 'The window opened past the fixed settle because the plateau began with its per-second P95 falling (a stack warming up; change points on log P95): absent when it did not' })),
  requests: Type.Integer({ minimum: 0 }),
  throughputRps: Type.Number({ minimum: 0, description: 'Requests per second in the steady window' }),
  latencyMs: Type.Object({ p50: Type.Number({ minimum: 0 }), p95: Type.Number({ minimum: 0 }), p99: Type.Number({ minimum: 0 }) }),
  errorRate: Type.Number({ minimum: 0, maximum: 1 }),
  verdict: Type.Object({
    run: GateSummary,
    steady: Type.Object({
      withinTargets: Type.Boolean({ description: 'P95, P99 and error rate of the steady window within the capacity targets' }),
    }),
  }, { description: 'The steady window judged twice: by the gate (as in the level directory\'s verdict.json) and against the capacity targets (what the models use)' }),
  resources: Type.Array(ResourceSummary),
  dbTime: Nullable(DbTime),
  complete: Type.Boolean({ description: 'false when the run was cut short; such a level is reported but not modelled' }),
  rateLimited: Type.Optional(Type.Integer({ minimum: 0, description: '429 responses in the steady window' })),
  generator: Type.Optional(GeneratorWatch),
  instances: Type.Optional(Type.Integer({ minimum: 1, description: 'API instances the level ran against (capacity run --instances)' })),
  decomposition: Type.Optional(Decomposition),
  demands: Type.Optional(Type.Array(ComponentDemand, { description: 'Utilisation and service demand per measured component' })),
  bottleneck: Type.Optional(Bottleneck),
  saturationUsers: Type.Optional(Type.Number({ minimum: 0, description: 'N* = (ΣD + Z) / D_max at this level' })),
  bandwidth: Type.Optional(LevelBandwidth),
  endedBy: Type.Optional(Type.Union(
    [Type.Literal('decided'), Type.Literal('failed'), Type.Literal('max-duration'), Type.Literal('interrupted')],
    { description: 'capacity run --until-decided: why the level\'s run ended — its sequential gate decided PASS (decided) or FAIL ' +
      '(failed), its --max-duration was reached undecided, or the user interrupted it. Absent for a level run for a fixed time.' },
  )),
  decidedAtS: Type.Optional(Nullable(Type.Number({
    minimum: 0,
    description: 'capacity run --until-decided: when the level\'s gating criteria were decided, in seconds from its run\'s first ' +
      'sample (its verdict.json\'s sequential.decidedAtS); null when undecided',
  }))),
});

export const UslFit = Type.Object({
  model: Type.Union([Type.Literal('usl'), Type.Literal('amdahl'), Type.Literal('linear'), Type.Literal('none')], {
    description: 'usl: 3 parameters fitted; amdahl: κ fixed at 0; linear: σ=κ=0; none: too little data',
  }),
  sigma: Type.Number({ minimum: 0, maximum: 1, description: 'Contention σ' }),
  kappa: Type.Number({ minimum: 0, maximum: 1, description: 'Coherency κ' }),
  lambda: Type.Number({ minimum: 0, description: 'Throughput of one user alone, per second' }),
  peakConcurrency: Nullable(Type.Number({ description: 'N* = √((1−σ)/κ); null when κ = 0 (no peak)' })),
  maxThroughput: Nullable(Type.Number({ description: 'X(N*), or the asymptote λ/σ when κ = 0; null when unbounded' })),
  rSquared: Type.Number({ description: 'Coefficient of determination of the fit on the measured points' }),
  points: Type.Integer({ minimum: 0 }),
  note: Nullable(Type.String({ description: 'Why a fallback was used, or what to doubt' })),
});

export const Prediction = Type.Object({
  vus: Type.Number({ minimum: 0 }),
  throughputRps: Type.Number({ minimum: 0 }),
  responseTimeMs: Nullable(Type.Number({ description: 'R = N/X − Z; null when negative or undefined' })),
  extrapolated: Type.Boolean(),
});

export const Saturation = Type.Object({
  method: Type.String({ description: 'e.g. "kneedle" on P95 vs VUs' }),
  kneeVus: Nullable(Type.Number({ description: 'Load at the knee of latency vs load; null when no knee shows' })),
  firstBreachVus: Nullable(Type.Number({ description: 'Lowest measured level that broke the targets' })),
  uslPeakVus: Nullable(Type.Number({ description: 'N* from the USL fit, when it has one' })),
  note: Type.String(),
});

export const LinearModel = Type.Union([
  Type.Object({
    status: Type.Literal('ok'),
    name: Type.String({ description: 'ram-vs-users | cpu-vs-throughput | …' }),
    x: Type.String(),
    y: Type.String(),
    unit: Type.String({ description: 'Unit of y' }),
    slope: Type.Number(),
    intercept: Type.Number(),
    rSquared: Type.Number(),
    n: Type.Integer({ minimum: 2 }),
    residualSd: Type.Number({ minimum: 0 }),
    meanX: Type.Number({ description: 'Mean of the fitted x values: with sxx, what a prediction band needs (no refit)' }),
    sxx: Type.Number({ exclusiveMinimum: 0, description: 'Σ(x − x̄)² of the fitted x values' }),
    confidence: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Level of the prediction intervals' }),
  }),
  Type.Object({
    status: Type.Literal('missing'),
    name: Type.String(),
    x: Type.String(),
    y: Type.String(),
    unit: Type.String(),
    reason: Type.String(),
  }),
]);

export const DbConnections = Type.Object({
  littlesLaw: Nullable(Type.Object({
    busyPerVu: Type.Number({ minimum: 0, description: 'Busy connections per concurrent user (fitted over levels)' }),
    meanHoldMs: Type.Number({ minimum: 0 }),
    levels: Type.Integer({ minimum: 0 }),
  })),
  measured: Nullable(Type.Object({
    maxConnections: Type.Number({ minimum: 0, description: 'Highest connection count a collector saw' }),
    atVus: Type.Number({ minimum: 0 }),
    resource: Type.String(),
  })),
  note: Type.String(),
});

export const SizingRow = Type.Object({
  users: Type.Integer({ minimum: 1 }),
  throughputRps: Estimate,
  instances: Estimate,
  dbConnections: Nullable(Estimate),
  ramBytes: Nullable(Estimate),
  bandwidth: Type.Optional(SizingBandwidth),
  extrapolated: Type.Boolean(),
  notes: Type.Array(Type.String()),
});

export const CellVerdict = Type.Object({
  users: Type.Integer({ minimum: 1 }),
  resource: Type.Union([Type.Literal('apiInstances'), Type.Literal('dbConnections'), Type.Literal('ramGb')]),
  asserted: Type.Number(),
  verdict: Type.Union([Type.Literal('confirmed'), Type.Literal('refuted'), Type.Literal('not-measurable')]),
  measured: Nullable(Estimate),
  reason: Type.String(),
});

export const CapacityResult = Type.Object(
  {
    schema: Type.Literal(CAPACITY_SCHEMA),
    meta: Type.Object({
      createdAt: Type.String({ format: 'date-time' }),
      target: Type.String(),
      scenario: Type.String(),
      scale: Type.Number({ minimum: 0 }),
      toolVersion: Type.String(),
      levelsRequested: Type.Array(Type.Integer({ minimum: 1 })),
      collectors: Type.Array(Type.String()),
      currentInstances: Type.Integer({ minimum: 1, description: 'API instances behind the target during the ladder' }),
    }),
    targets: CapacityTargets,
    levels: Type.Array(Level, { description: 'In increasing load order' }),
    usl: UslFit,
    predictions: Type.Array(Prediction, { description: 'USL throughput and response time at chosen concurrencies' }),
    saturation: Saturation,
    perInstance: Type.Object({
      throughputAtTargetRps: Nullable(Type.Number({ description: 'Highest throughput one instance gave within the latency target' })),
      basis: Type.String(),
    }),
    linearModels: Type.Array(LinearModel),
    dbConnections: DbConnections,
    sizing: Type.Array(SizingRow),
    limitsFirst: Type.Optional(FirstLimit),
    maxUsers: Type.Object({
      instances: Type.Integer({ minimum: 1 }),
      users: Nullable(Estimate),
      limitedBy: Type.String(),
    }),
    holdout: Type.Optional(Nullable(Type.Object({
      fittedOnVus: Type.Array(Type.Number()),
      model: Type.String(),
      vus: Type.Number(),
      predictedRps: Type.Number(),
      measuredRps: Type.Number(),
      errorPct: Type.Number({ description: '(predicted − measured) / measured × 100' }),
    }, { description: 'The USL fitted without the top level, predicting it: how far the model can be trusted one step out' }))),
    assertions: Type.Array(CellVerdict, { description: 'One verdict per asserted cell; empty when no table was given' }),
    capacity: Type.Optional(Nullable(Type.Object({
      users: Type.Integer({ minimum: 1, description: 'The highest level that held the targets below the lowest that broke them' }),
      low: Type.Integer({ minimum: 1, description: 'Lower bound: the highest level ≤ users that held even at the pessimistic end of its figures\' 95 % intervals' }),
      high: Nullable(Type.Integer({ minimum: 1, description: 'Upper bound: the lowest level that broke the targets even at the optimistic end of its intervals; null when no level broke' })),
      note: Type.String(),
    }, { description: 'The breaking point: users held within the targets and the interval from the search\'s bracket widened by the measurement\'s noise (capacity run --search narrows it to ±10 %); null when no level held' }))),
    caveats: Type.Array(Type.String()),
    budget: Type.Optional(RunBudget),
    bottleneck: Type.Optional(Type.Intersect([Bottleneck, Type.Object({
      vus: Type.Integer({ minimum: 0, description: 'The level it was read at: the first that broke the targets, else the highest modelled' }),
    })])),
    mva: Type.Optional(Type.Object({
      demandsFromVus: Type.Integer({ minimum: 0, description: 'The level whose measured demands the curves rest on' }),
      thinkTimeS: Type.Number({ minimum: 0 }),
      curves: Type.Array(Type.Object({
        name: Type.String({ description: '"measured topology", "2× API instances", …' }),
        points: Type.Array(Type.Object({ vus: Type.Integer({ minimum: 1 }), throughputRps: Type.Number({ minimum: 0 }), responseTimeMs: Type.Number({ minimum: 0 }) })),
      })),
      validation: Nullable(Type.Object({
        throughputError: Type.Number({ description: 'Signed fraction (predicted − measured) / measured at the top modelled level, predicted from the levels below it' }),
        latencyError: Type.Number({ description: 'The same for the mean response time' }),
        levels: Type.Array(Type.Object({ vus: Type.Integer(), throughputError: Type.Number(), latencyError: Type.Number() }), { description: 'Each level predicted from the demands of the level below it' }),
      })),
      note: Type.String(),
    }, { description: 'Exact MVA (lib/capacity/mva.ts) on the measured demands' })),
  },
  { $id: 'https://conecta-load.dev/schemas/capacity.schema.json', title: 'conecta-load capacity v2' },
);

export type Estimate = Static<typeof Estimate>;
export type CapacityTargets = Static<typeof CapacityTargets>;
export type Level = Static<typeof Level>;
export type Decomposition = Static<typeof Decomposition>;
export type Bottleneck = Static<typeof Bottleneck>;
export type GeneratorWatch = Static<typeof GeneratorWatch>;
export type UslFit = Static<typeof UslFit>;
export type Prediction = Static<typeof Prediction>;
export type Saturation = Static<typeof Saturation>;
export type LinearModel = Static<typeof LinearModel>;
export type DbConnections = Static<typeof DbConnections>;
export type SizingRow = Static<typeof SizingRow>;
export type LevelBandwidth = Static<typeof LevelBandwidth>;
export type SizingBandwidth = Static<typeof SizingBandwidth>;
export type CellVerdict = Static<typeof CellVerdict>;
export type CapacityResult = Static<typeof CapacityResult>;
