// Generates realistic CapacityResults for report tests: levels measured on a known USL curve with think time,
// noisy resources, one missing collector, then the capacity planner's real analysis (lib/capacity/analyze.ts).

import { analyzeCapacity } from '../../../lib/capacity/analyze.js';
import type { CapacityResult, Level } from '../../../lib/capacity/schema.js';
import type { ResourceSummary } from '../../../lib/collect/schema.js';
import { uslThroughput } from '../../../lib/capacity/usl.js';

export interface CapacityFixtureOptions {
  /** Nominal users per level (profile load-<N>). */
  users?: number[];
  scale?: number;
  usl?: { sigma: number; kappa: number; lambda: number };
  thinkTimeS?: number;
  /** Error rate at the top level (others scale down with load). */
  topErrorRate?: number;
  /** Drop the memory collector entirely (no RAM model). */
  noMemory?: boolean;
  /** Each level's directory, relative to capacity.json. */
  dir?: (users: number) => string;
}

const ok = (resource: string, unit: string, mean: number, spread: number): ResourceSummary => ({
  status: 'ok', collector: 'scrape:http://127.0.0.1:8100/metrics', resource, instance: 'all', unit, samples: 12,
  mean, min: mean * (1 - spread), max: mean * (1 + spread), last: mean,
});

/** Levels on a USL curve: X(N) from the law (±1 % so fits are not exact), mean R = N/X − Z, P95 ≈ 2.5 R. */
export function makeLevels(o: CapacityFixtureOptions = {}): Level[] {
  const users = o.users ?? [500, 1000, 1500, 2000, 3000];
  const scale = o.scale ?? 0.05;
  const usl = o.usl ?? { sigma: 0.0002, kappa: 0.000003, lambda: 0.331 };
  const z = o.thinkTimeS ?? 3;
  const wobble = [1.0, 1.01, 0.995, 1.005, 0.99, 1.003];
  return users.map((u, i) => {
    const vus = Math.round(u * scale);
    const exact = uslThroughput(usl, vus);
    const x = exact * wobble[i % wobble.length]!;
    // Latency from the exact curve: N/X − Z amplifies any throughput noise by N/X (seconds) otherwise.
    const r = Math.max(0.005, vus / exact - z);
    const p95 = r * 1000 * 2.5;
    const errorRate = ((o.topErrorRate ?? 0.0005) * (i + 1) ** 2) / users.length ** 2;
    const within = p95 <= 300 && p95 * 1.6 <= 500 && errorRate <= 0.001;
    const resources: ResourceSummary[] = [
      ok('cpu', 'cores', 0.012 * x * wobble[(i + 2) % 6]!, 0.2),
      { status: 'missing', collector: 'prometheus:http://127.0.0.1:9090', resource: 'db_connections', instance: 'all', unit: 'connections', reason: 'query returned no series: pg_stat_activity_count' },
    ];
    if (!o.noMemory) resources.unshift(ok('memory', 'bytes', (290e6 + 1.1e6 * vus) * wobble[(i + 1) % 6]!, 0.05));
    return {
      users: u, vus, scale, profile: `load-${u}`, runDir: 'staircase', dir: o.dir?.(u) ?? `level-${u}`,
      window: { start: `2026-01-01T00:${String(2 * i).padStart(2, '0')}:00.000Z`, end: `2026-01-01T00:${String(2 * i + 1).padStart(2, '0')}:00.000Z` },
      requests: Math.round(x * 60), throughputRps: x,
      latencyMs: { p50: p95 / 3, p95, p99: p95 * 1.6 }, errorRate,
      verdict: { run: { verdict: within ? 'pass' : 'fail', failed: within ? [] : ['overall p95'] }, steady: { withinTargets: within } },
      resources,
      dbTime: { queryRatePerS: 2.2 * x, meanHoldS: 0.0012, busyConnections: 2.2 * x * 0.0012, source: 'db_query_duration_seconds' },
      complete: true,
    };
  });
}

export function makeCapacityResult(o: CapacityFixtureOptions = {}): CapacityResult {
  const levels = makeLevels(o);
  return analyzeCapacity({
    meta: {
      createdAt: '2026-01-01T00:12:00.000Z', target: 'http://127.0.0.1:8100', scenario: 'mix', scale: o.scale ?? 0.05,
      toolVersion: '0.1.0', levelsRequested: levels.map((l) => l.users),
      collectors: ['scrape:http://127.0.0.1:8100/metrics', 'prometheus:http://127.0.0.1:9090'], currentInstances: 3,
    },
    targets: { p95Ms: 300, p99Ms: 500, errorRate: 0.001, targetUtilisation: 0.7, redundancy: 1, thinkTimeS: o.thinkTimeS ?? 3 },
    levels,
    sizingUsers: [500, 1000, 2000],
    assertions: [
      { users: 500, apiInstances: 3, dbConnections: 150, ramGb: 8 },
      { users: 1000, apiInstances: 3, dbConnections: 200, ramGb: 12 },
      { users: 2000, apiInstances: 5, dbConnections: 300, ramGb: 20 },
    ],
  });
}

/**
 * A ladder that broke on a starved PostgreSQL, with the figures of a real run (test/e2e/why-it-broke.test.ts,
 * `--db-cpu 0.03`, 2 API instances, 10 and 30 VUs at scale 0.02, think time 0.05–0.2 s): throughput, k6's mean and
 * P95, each level's decomposition and service demands as measured; MVA and the rest from the real analysis.
 */
export function makeWhyCapacityResult(o: { dir?: (users: number) => string } = {}): CapacityResult {
  const real = [
    {
      users: 500, rps: 65.5, mean: 28.4, p95: 61,
      parts: { generator: 0.24, proxy: 0.23, api: 0, db: 26.06, cache: 0.02, unexplained: 1.85 },
      demands: { generator: [1.03, 'CPU set 0', 1], db: [9.22, 'cgroup quota 2 × 0.03', 0.06], cache: [0.17, 'CPU set 1', 1], api: [2.27, 'CPU set 1', 1], proxy: [0.19, 'CPU set 1', 1] },
    },
    {
      users: 1500, rps: 41.6, mean: 708.8, p95: 1650,
      parts: { generator: 0.19, proxy: 0.21, api: 0, db: 706.57, cache: 0.03, unexplained: 1.8 },
      demands: { generator: [1.17, 'CPU set 0', 1], db: [8.49, 'cgroup quota 2 × 0.03', 0.06], cache: [0.21, 'CPU set 1', 1], api: [2.13, 'CPU set 1', 1], proxy: [0.18, 'CPU set 1', 1] },
    },
  ] as const;
  const levels = makeLevels({ users: real.map((r) => r.users), scale: 0.02, thinkTimeS: 0.125, ...(o.dir ? { dir: o.dir } : {}) }).map((l, i): Level => {
    const r = real[i]!;
    const demands = Object.entries(r.demands).map(([component, [demandMs, budgetSource, budgetCores]]) => ({
      component: component as 'generator' | 'proxy' | 'api' | 'db' | 'cache', demandMs, budgetSource, budgetCores, utilisation: (demandMs * r.rps) / 1000,
    }));
    const top = demands.reduce((a, b) => (b.demandMs > a.demandMs ? b : a));
    const within = r.p95 <= 300;
    return {
      ...l, throughputRps: r.rps, requests: Math.round(r.rps * 10),
      latencyMs: { p50: r.mean * 0.8, p95: r.p95, p99: r.p95 * 1.3 },
      verdict: { run: { verdict: within ? 'pass' : 'fail', failed: within ? [] : ['overall p95'] }, steady: { withinTargets: within } },
      decomposition: { totalMs: r.mean, parts: { ...r.parts }, p95: { totalMs: r.p95, parts: { ...r.parts } }, explained: true, note: null },
      demands,
      bottleneck: { component: top.component, utilisation: top.utilisation, demandMs: top.demandMs, boundRps: 1000 / top.demandMs },
    };
  });
  return analyzeCapacity({
    meta: {
      createdAt: '2026-12-02T17:45:00.000Z', target: 'http://127.0.0.1:18200', scenario: 'mix', scale: 0.02,
      toolVersion: '0.1.0', levelsRequested: real.map((r) => r.users), collectors: ['prometheus:http://127.0.0.1:18209'], currentInstances: 2,
    },
    targets: { p95Ms: 300, p99Ms: 500, errorRate: 0.001, targetUtilisation: 0.7, redundancy: 1, thinkTimeS: 0.125 },
    levels, sizingUsers: [500, 1000, 2000], assertions: [],
  });
}
