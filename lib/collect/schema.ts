// The collectors' config file v1 (`--collect-config file`): PromQL per resource for `prometheus:URL`, and which
// exposed metrics `scrape:URL` reads. Each section replaces the defaults when given.

import { Type, type Static } from '@sinclair/typebox';

export const COLLECT_SCHEMA = 'conecta-load/collect@1' as const;

const Unit = Type.Union([
  Type.Literal('bytes'), Type.Literal('cores'), Type.Literal('connections'), Type.Literal('count'), Type.Literal('seconds'), Type.Literal('per-second'),
], {
  description: 'Unit of the values after the query (memory in bytes, CPU in cores)',
});

export const PrometheusQuery = Type.Object(
  {
    resource: Type.String({ description: 'memory | cpu | db_connections | redis_memory | … (capacity reads memory, cpu, db_connections, db_busy, db_query_rate)' }),
    query: Type.String({ description: 'PromQL evaluated with query_range over the level\'s window' }),
    unit: Unit,
    instanceLabel: Type.Optional(Type.String({ description: 'Label naming the instance (default: name, container, instance, pod)' })),
  },
  { additionalProperties: false },
);

export const ScrapeRuleSpec = Type.Object(
  {
    resource: Type.String(),
    metric: Type.String({ description: 'Exposed sample name (for a histogram, its _sum or _count)' }),
    kind: Type.Union([Type.Literal('gauge'), Type.Literal('counter')]),
    unit: Unit,
  },
  { additionalProperties: false },
);

export const CollectConfig = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schema: Type.Literal(COLLECT_SCHEMA),
    intervalMs: Type.Optional(Type.Integer({ minimum: 100, description: 'Scrape / sample interval (default 1000)' })),
    prometheus: Type.Optional(Type.Object({
      stepS: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'query_range step, seconds (default 1)' })),
      queries: Type.Array(PrometheusQuery, { minItems: 1 }),
    }, { additionalProperties: false })),
    scrape: Type.Optional(Type.Object({ rules: Type.Array(ScrapeRuleSpec, { minItems: 1 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false, $id: 'https://conecta-load.dev/schemas/collect.schema.json', title: 'conecta-load collectors config v1' },
);

export type PrometheusQuery = Static<typeof PrometheusQuery>;
export type CollectConfig = Static<typeof CollectConfig>;

// What a collector measured over one level's steady window, as capacity.json records it (the collectors own it).

/** The summary of one resource series over a level's steady window, or why it is missing. */
export const ResourceSummary = Type.Union(
  [
    Type.Object({
      status: Type.Literal('ok'),
      collector: Type.String({ description: 'Source spec, e.g. "scrape:http://127.0.0.1:8100/metrics", "process:1234"' }),
      resource: Type.String({ description: 'memory | cpu | db_connections | db_busy | in_flight | redis_memory | …' }),
      instance: Type.String({ description: 'Instance, container or PID the series belongs to ("all" when summed)' }),
      unit: Type.String({ description: 'bytes | cores | connections | count | seconds' }),
      samples: Type.Integer({ minimum: 1 }),
      mean: Type.Number(),
      min: Type.Number(),
      max: Type.Number(),
      last: Type.Number(),
    }),
    Type.Object({
      status: Type.Literal('missing'),
      collector: Type.String(),
      resource: Type.String(),
      instance: Type.String(),
      unit: Type.String(),
      reason: Type.String({ description: 'Why there is no value (never recorded as zero)' }),
    }),
  ],
  { description: 'A resource series over the steady window; a failing collector reports "missing", never zero' },
);

/** DB time measured at one level: what Little's law needs. */
export const DbTime = Type.Object({
  queryRatePerS: Type.Number({ minimum: 0, description: 'Queries per second over the steady window' }),
  meanHoldS: Type.Number({ minimum: 0, description: 'Mean time a query holds a connection, seconds' }),
  busyConnections: Type.Number({ minimum: 0, description: 'queryRate × meanHold (Little\'s law)' }),
  source: Type.String(),
});

export type ResourceSummary = Static<typeof ResourceSummary>;
export type DbTime = Static<typeof DbTime>;
