// Turns what one accumulator gathered (the whole run, or one window) into a RunResult: endpoints, scenarios,
// every k6 metric and declared submetric with its thresholds, and the run's meta.

import { cpus } from 'node:os';
import { basename } from 'node:path';
import { RUN_RESULT_SCHEMA, type RunMeta, type RunResult } from '../result/schema.js';
import { getOwn, setOwn } from '../own-keys.js';
import { TOOL_VERSION } from '../version.js';
import type { IngestMeta } from './types.js';
import { MetricAgg, type K6MetricType } from './metric-agg.js';
import type { MetricEntry } from './metrics.js';
import { requestStats, sumAccumulators } from './request-stats.js';
import type { RunAccumulator } from './run-accumulator.js';

export const OTHER_ENDPOINTS = '(other endpoints)';

export interface BuildContext {
  file: string;
  meta: IngestMeta;
  truncated: string | undefined;
  firstUrl: string | undefined;
  declared: ReadonlyMap<string, MetricEntry>;
  k6Thresholds: Readonly<Record<string, readonly string[]>>;
  ingest: Omit<RunResult['ingest'], 'lateSamples' | 'otherEndpointRequests'>;
}

const byKey = <T>([x]: [string, T], [y]: [string, T]) => (x < y ? -1 : x > y ? 1 : 0);

export function resultOf(a: RunAccumulator, ctx: BuildContext): RunResult {
  const { meta, file } = ctx;
  const durationS = a.firstMs <= a.lastMs ? (a.lastMs - a.firstMs) / 1000 : 0;
  const all = [...a.endpoints.values(), ...(a.otherEndpoints ? [a.otherEndpoints] : [])];
  const { total, hist } = sumAccumulators(all);
  // Name-keyed maps without a prototype (lib/own-keys.ts): a reader asking for another run's `toString` gets nothing.
  const endpointStats: RunResult['endpoints'] = Object.create(null);
  for (const [k, acc] of [...a.endpoints].sort(byKey)) setOwn(endpointStats, k, requestStats(acc, durationS));
  if (a.otherEndpoints) endpointStats[OTHER_ENDPOINTS] = requestStats(a.otherEndpoints, durationS);
  const scenarios: NonNullable<RunResult['scenarios']> = Object.create(null);
  for (const [k, acc] of [...a.scenarios].sort(byKey)) setOwn(scenarios, k, requestStats(acc, durationS));

  const th = (name: string): readonly string[] | undefined => getOwn(ctx.k6Thresholds, name) ?? ctx.declared.get(name)?.thresholds;
  const metrics: RunResult['metrics'] = Object.create(null);
  const put = (name: string, agg: MetricAgg) => {
    setOwn(metrics, name, agg.summary(durationS, th(name)));
  };
  // Built-in metrics from what the result already holds (summed once per run, not once per sample).
  put('http_reqs', MetricAgg.counter(total.requests, total.requests));
  const dur = new MetricAgg('trend', 'time');
  Object.assign(dur, { count: hist.totalCount, sum: total.durationSum, min: total.durationMin, max: total.durationMax, hist });
  put('http_req_duration', dur);
  put('http_req_failed', MetricAgg.rate(total.requests, total.failed));
  const checkList = [...a.checks.values()];
  const passes = checkList.reduce((s, c) => s + c.passes, 0);
  const checkCount = checkList.reduce((s, c) => s + c.passes + c.fails, 0);
  if (checkCount > 0 || ctx.declared.has('checks')) put('checks', MetricAgg.rate(checkCount, passes));
  if (a.iterations > 0 || ctx.declared.has('iterations')) put('iterations', MetricAgg.counter(a.iterations, a.iterations));
  if (a.dropped > 0 || ctx.declared.has('dropped_iterations')) put('dropped_iterations', MetricAgg.counter(a.dropped, a.dropped));
  if (a.vus.count > 0) put('vus', a.vus);
  for (const [m, agg] of a.custom) put(m.name, agg);
  for (const [name, agg] of a.subs) put(name, agg);
  // Declared submetrics and thresholded metrics that saw no sample are reported empty, so a threshold on them is judged.
  for (const m of ctx.declared.values()) {
    for (const s of m.subs) if (!Object.hasOwn(metrics, s.name)) put(s.name, new MetricAgg(m.type as K6MetricType, m.contains));
    if (m.thresholds.length && !Object.hasOwn(metrics, m.name)) put(m.name, new MetricAgg(m.type as K6MetricType, m.contains));
  }
  for (const name of Object.keys(ctx.k6Thresholds)) {
    if (!Object.hasOwn(metrics, name)) {
      const parent = ctx.declared.get(name.replace(/\{.*$/, ''));
      put(name, new MetricAgg((parent?.type ?? '') as K6MetricType, parent?.contains ?? 'default'));
    }
  }

  const complete = (meta.complete ?? true) && ctx.truncated === undefined;
  const iso = (ms: number) => new Date(Number.isFinite(ms) ? ms : 0).toISOString();
  const window = a.window;
  const fullMeta: RunMeta = {
    scenario: meta.scenario ?? basename(file).replace(/\.gz$/, '').replace(/\.(json|ndjson|jsonl|csv)$/, ''),
    profile: meta.profile ?? 'unknown',
    scale: meta.scale ?? 1,
    target: meta.target ?? originOf(ctx.firstUrl),
    k6Version: meta.k6Version ?? '',
    gitSha: meta.gitSha ?? '',
    startedAt: window ? iso(a.firstMs) : meta.startedAt ?? iso(a.firstMs),
    endedAt: window ? iso(a.lastMs) : meta.endedAt ?? iso(a.lastMs),
    durationS,
    complete,
    ...(complete ? {} : { incompleteReason: meta.incompleteReason ?? ctx.truncated ?? 'incomplete' }),
    ...(meta.endedBy !== undefined ? { endedBy: meta.endedBy } : {}),
    ...(meta.k6ExitCode !== undefined ? { k6ExitCode: meta.k6ExitCode } : {}),
    source: meta.source,
    toolVersion: meta.toolVersion ?? TOOL_VERSION,
    host: meta.host ?? { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    labels: meta.labels ?? {},
  };

  return {
    schema: RUN_RESULT_SCHEMA,
    meta: fullMeta,
    overall: requestStats(total, durationS, hist),
    endpoints: endpointStats,
    scenarios,
    timeline: a.timeline.finish(),
    checks: Object.assign(Object.create(null), Object.fromEntries([...a.checks].sort(byKey))),
    iterations: a.iterations,
    droppedIterations: a.dropped,
    vusMax: a.vus.count > 0 ? a.vus.max : 0,
    metrics,
    ingest: {
      ...ctx.ingest,
      lateSamples: a.timeline.lateSamples,
      otherEndpointRequests: a.otherEndpoints?.requests ?? 0,
    },
  };
}

function originOf(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
