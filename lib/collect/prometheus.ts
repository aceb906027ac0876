// `prometheus:URL`: asks a Prometheus server (HTTP API query_range) for each resource over the level's window,
// with PromQL defaults for a compose stack like the seed's (cAdvisor, postgres_exporter, redis_exporter).

import type { PrometheusQuery } from './schema.js';
import { sumSeries, type CollectedSeries, type Collector, type OkSeries } from './types.js';

export const DEFAULT_PROMETHEUS_QUERIES: readonly PrometheusQuery[] = [
  // cAdvisor: working set is what the OOM killer judges; containers with a name only (not cgroup slices).
  { resource: 'memory', query: 'sum by (name) (container_memory_working_set_bytes{name!=""})', unit: 'bytes', instanceLabel: 'name' },
  { resource: 'cpu', query: 'sum by (name) (rate(container_cpu_usage_seconds_total{name!=""}[1m]))', unit: 'cores', instanceLabel: 'name' },
  { resource: 'db_connections', query: 'sum(pg_stat_activity_count)', unit: 'connections' },
  { resource: 'redis_memory', query: 'sum by (instance) (redis_memory_used_bytes)', unit: 'bytes', instanceLabel: 'instance' },
];

interface MatrixResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
}

const INSTANCE_LABELS = ['name', 'container', 'instance', 'pod'];

/** Turns one query_range answer into series (one per result, plus "all"); a failure is a missing series. */
export function seriesFromMatrix(q: PrometheusQuery, body: MatrixResponse): CollectedSeries[] {
  if (body.status !== 'success' || !body.data) return [{ status: 'missing', resource: q.resource, instance: 'all', unit: q.unit, reason: `query failed: ${body.error ?? 'no data'}` }];
  if (body.data.resultType !== 'matrix') return [{ status: 'missing', resource: q.resource, instance: 'all', unit: q.unit, reason: `expected a matrix, got ${body.data.resultType}` }];
  const parts: OkSeries[] = body.data.result.map((r, i) => {
    const label = q.instanceLabel ? r.metric[q.instanceLabel] : INSTANCE_LABELS.map((l) => r.metric[l]).find((v) => v);
    const samples = r.values.map(([t, v]) => ({ t: Math.round(t * 1000), value: Number(v) })).filter((s) => Number.isFinite(s.value));
    return { status: 'ok' as const, resource: q.resource, instance: label ?? (body.data!.result.length === 1 ? 'all' : `series-${i}`), unit: q.unit, samples };
  }).filter((s) => s.samples.length > 0);
  if (parts.length === 0) return [{ status: 'missing', resource: q.resource, instance: 'all', unit: q.unit, reason: `no series for: ${q.query}` }];
  if (parts.length === 1 && parts[0]!.instance === 'all') return parts;
  const all = sumSeries(q.resource, q.unit, parts);
  return all && all.samples.length ? [...parts, all] : parts;
}

export interface PrometheusOptions {
  queries?: readonly PrometheusQuery[];
  stepS?: number;
}

export function prometheusCollector(baseUrl: string, opts: PrometheusOptions = {}): Collector {
  const queries = opts.queries ?? DEFAULT_PROMETHEUS_QUERIES;
  const stepS = opts.stepS ?? 1;
  const base = baseUrl.replace(/\/+$/, '');
  let startS = 0;

  async function range(q: PrometheusQuery, start: number, end: number): Promise<CollectedSeries[]> {
    // Prometheus refuses more than 11,000 points per series: widen the step for long windows.
    const step = Math.max(stepS, Math.ceil((end - start) / 10_000));
    const params = new URLSearchParams({ query: q.query, start: start.toFixed(3), end: end.toFixed(3), step: String(step) });
    try {
      const res = await fetch(`${base}/api/v1/query_range`, {
        method: 'POST', body: params, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json()) as MatrixResponse;
      return seriesFromMatrix(q, body);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return [{ status: 'missing', resource: q.resource, instance: 'all', unit: q.unit, reason: `${base} unreachable: ${err.cause?.code ?? err.message}` }];
    }
  }

  return {
    spec: `prometheus:${baseUrl}`,
    async start() {
      startS = Date.now() / 1000;
    },
    async stop() {
      const endS = Date.now() / 1000;
      const results = await Promise.all(queries.map((q) => range(q, startS, endS)));
      return results.flat();
    },
  };
}
