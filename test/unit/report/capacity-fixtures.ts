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
