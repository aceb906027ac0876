// Generates realistic RunResults for report tests: real HDR histograms (lib/histogram.ts), a per-second timeline
// computed from the same samples, deterministic (seeded) so every test sees the same numbers.

import {
  createHistogram, encodeHistogram, maxMs, meanMs, minMs, percentileMs, recordMs, type Histogram,
} from '../../../lib/histogram.js';
import { RUN_RESULT_SCHEMA, type RequestStats, type RunResult, type TimelinePoint } from '../../../lib/result/schema.js';
import { seeded } from '../gate/seeded.js';

export interface EndpointSpec {
  name: string;
  /** Share of requests. */
  weight: number;
  /** Median latency at light load, ms. */
  baseMs: number;
}

export interface RunFixtureOptions {
  durationS?: number;
  startEpochS?: number;
  maxVus?: number;
  /** Requests per second each active VU sends at light load. */
  rpsPerVu?: number;
  /** Throughput ceiling of the simulated stack: requests/s stop growing here and latency climbs. */
  capacityRps?: number;
  /** Error rate at the start and at the end of the run (linear in between). */
  errorRateStart?: number;
  errorRateEnd?: number;
  /** Share of requests answered 429. */
  rateLimitedShare?: number;
  droppedIterations?: number;
  endpoints?: EndpointSpec[];
  metrics?: RunResult['metrics'];
  labels?: Record<string, string>;
  seed?: number;
}

export const DEFAULT_ENDPOINTS: EndpointSpec[] = [
  { name: 'POST /api/v1/auth/login', weight: 0.05, baseMs: 60 },
  { name: 'GET /api/v1/dashboard', weight: 0.3, baseMs: 25 },
  { name: 'GET /api/v1/unidades', weight: 0.25, baseMs: 18 },
  { name: 'GET /api/v1/financeiro', weight: 0.2, baseMs: 40 },
  { name: 'GET /api/v1/acesso', weight: 0.2, baseMs: 22 },
];


function gaussian(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** VUs over the run: ramp up over the first 20 %, hold, ramp down over the last 10 %. */
function vusAt(i: number, n: number, maxVus: number): number {
  const up = Math.max(1, Math.round(n * 0.2));
  const down = Math.max(1, Math.round(n * 0.1));
  if (i < up) return Math.max(1, Math.round((maxVus * (i + 1)) / up));
  if (i >= n - down) return Math.max(1, Math.round((maxVus * (n - i)) / down));
  return maxVus;
}

interface Acc {
  h: Histogram;
  requests: number;
  failed: number;
  rateLimited: number;
  statusCodes: Record<string, number>;
}

const newAcc = (): Acc => ({ h: createHistogram(), requests: 0, failed: 0, rateLimited: 0, statusCodes: {} });

function statsOf(a: Acc, durationS: number): RequestStats {
  return {
    requests: a.requests,
    failed: a.failed,
    errorRate: a.requests === 0 ? 0 : a.failed / a.requests,
    rateLimited: a.rateLimited,
    throughputRps: durationS > 0 ? a.requests / durationS : 0,
    latencyMs: {
      min: minMs(a.h), mean: meanMs(a.h), p50: percentileMs(a.h, 50), p90: percentileMs(a.h, 90),
      p95: percentileMs(a.h, 95), p99: percentileMs(a.h, 99), p999: percentileMs(a.h, 99.9), max: maxMs(a.h),
    },
    statusCodes: a.statusCodes,
    histogram: encodeHistogram(a.h),
  };
}

/** A RunResult as ingest would write it, from simulated samples. */
export function makeRunResult(o: RunFixtureOptions = {}): RunResult {
  const n = o.durationS ?? 60;
  const start = o.startEpochS ?? 1_767_225_600; // 2026-01-01T00:00:00Z
  const maxVus = o.maxVus ?? 50;
  const rpsPerVu = o.rpsPerVu ?? 1;
  const capacity = o.capacityRps ?? Infinity;
  const e0 = o.errorRateStart ?? 0.001;
  const e1 = o.errorRateEnd ?? e0;
  const rl = o.rateLimitedShare ?? 0;
  const eps = o.endpoints ?? DEFAULT_ENDPOINTS;
  const r = seeded(o.seed ?? 42);
  const totalW = eps.reduce((s, e) => s + e.weight, 0);
  const overall = newAcc();
  const perEp = new Map(eps.map((e) => [e.name, newAcc()]));
  const sec = createHistogram();
  const timeline: TimelinePoint[] = [];
  let iterations = 0;

  for (let i = 0; i < n; i++) {
    const vus = vusAt(i, n, maxVus);
    const offered = vus * rpsPerVu;
    const served = Math.min(offered, capacity);
    // Past the ceiling, requests queue: latency grows with the excess (Little's law).
    const slowdown = offered > capacity ? offered / capacity : 1 + 0.3 * (served / Math.min(capacity, 1e9));
    const count = Math.max(0, Math.round(served + gaussian(r) * Math.sqrt(served) * 0.2));
    const errRate = e0 + ((e1 - e0) * i) / Math.max(1, n - 1);
    sec.reset();
    let errors = 0;
    let limited = 0;
    for (let k = 0; k < count; k++) {
      let pick = r() * totalW;
      const ep = eps.find((e) => (pick -= e.weight) < 0) ?? eps[eps.length - 1]!;
      const ms = ep.baseMs * slowdown * Math.exp(0.45 * gaussian(r));
      const u = r();
      const status = u < errRate ? (u < errRate * 0.2 ? '0' : '503') : u < errRate + rl ? '429' : '200';
      for (const a of [overall, perEp.get(ep.name)!]) {
        recordMs(a.h, ms);
        a.requests++;
        if (status === '0' || status === '503') a.failed++;
        if (status === '429') a.rateLimited++;
        a.statusCodes[status] = (a.statusCodes[status] ?? 0) + 1;
      }
      recordMs(sec, ms);
      if (status === '0' || status === '503') errors++;
      if (status === '429') limited++;
    }
    iterations += Math.round(count / 4);
    timeline.push({
      t: start + i, requests: count, errors, rateLimited: limited, vus,
      p50Ms: percentileMs(sec, 50), p95Ms: percentileMs(sec, 95), p99Ms: percentileMs(sec, 99),
    });
  }

  const checks: RunResult['checks'] = {
    'status is 200': { passes: overall.statusCodes['200'] ?? 0, fails: overall.requests - (overall.statusCodes['200'] ?? 0) },
    'body has items': { passes: Math.round((overall.statusCodes['200'] ?? 0) * 0.9), fails: 0 },
  };
  return {
    schema: RUN_RESULT_SCHEMA,
    meta: {
      scenario: 'conecta-mix', profile: 'load-500', scale: 0.1, target: 'http://127.0.0.1:8100',
      k6Version: 'v2.2.0', gitSha: '7f9248f', startedAt: new Date(start * 1000).toISOString(),
      endedAt: new Date((start + n) * 1000).toISOString(), durationS: n, complete: true, source: 'run',
      toolVersion: '0.1.0', host: { node: 'v20.19.0', platform: 'linux', cpus: 2 }, labels: o.labels ?? {},
    },
    overall: statsOf(overall, n),
    endpoints: Object.fromEntries([...perEp].map(([k, a]) => [k, statsOf(a, n)])),
    timeline,
    checks,
    iterations,
    droppedIterations: o.droppedIterations ?? 0,
    vusMax: maxVus,
    metrics: o.metrics ?? {
      rate_limited: { type: 'counter', value: overall.rateLimited, count: overall.rateLimited },
      iteration_duration: { type: 'trend', value: 4200, count: iterations },
    },
    ingest: { lines: overall.requests * 12, garbledLines: 0, bytes: overall.requests * 12 * 220 },
  };
}
