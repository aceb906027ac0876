import { describe, expect, it } from 'vitest';
import type { ResourceSummary } from '../../../../lib/collect/schema.js';
import { cpusetSize, dbInside, handlerTime, stackFacts, whyOfLevel } from '../../../../lib/capacity/ladder/why.js';
import type { PhaseStats, RequestStats } from '../../../../lib/result/schema.js';

const ok = (collector: string, resource: string, instance: string, mean: number): ResourceSummary =>
  ({ status: 'ok', collector, resource, instance, unit: 'x', samples: 5, mean, min: mean, max: mean, last: mean });
const phase = (meanMs: number, p95Ms = meanMs): PhaseStats => ({ count: 100, meanMs, p95Ms, histogram: '' });

const overall = {
  requests: 1000, failed: 0, errorRate: 0, rateLimited: 0, throughputRps: 100, statusCodes: {}, histogram: '',
  latencyMs: { min: 1, mean: 50, p50: 40, p90: 80, p95: 120, p99: 200, p999: 300, max: 400 },
  phases: { blocked: phase(0.5, 1), connecting: phase(0.1, 0), tlsHandshaking: phase(0), sending: phase(0.2, 0.5), waiting: phase(49), receiving: phase(0.2, 0.5) },
} satisfies RequestStats;

describe('why a level behaved as it did', () => {
  it('decomposes from the phases, nginx\'s log, pg_stat_statements and Redis, and applies the laws to the stack\'s budgets', () => {
    const facts = stackFacts(
      { nginx: 'proxy', 'api-1': 'api', 'api-2': 'api', 'postgres-primary': 'db', 'postgres-replica': 'db', 'redis-primary': 'cache' },
      { mode: 'isolated', plan: { stackCpus: '1', cpu: { api: 0.25, db: 0.03 } } },
    );
    expect(facts.budgets).toEqual({
      api: { cores: 0.5, source: 'cgroup quota 2 × 0.25' }, db: { cores: 0.06, source: 'cgroup quota 2 × 0.03' },
      proxy: { cores: 1, source: 'CPU set 1' }, cache: { cores: 1, source: 'CPU set 1' },
    });
    const resources = [
      ok('nginx-log:/x', 'nginx_logged_rate', 'all', 100), ok('nginx-log:/x', 'proxy_queue_busy', 'all', 0.2), ok('nginx-log:/x', 'upstream_busy', 'all', 4.5),
      ok('prometheus:u', 'db_busy', 'all', 3), ok('prometheus:u', 'cache_busy', 'all', 0.05),
      ok('process:1,2', 'cpu', 'nginx', 0.05), ok('process:1,2', 'cpu', 'api-1', 0.1), ok('process:1,2', 'cpu', 'api-2', 0.1),
      ok('process:1,2', 'cpu', 'postgres-primary', 0.05), ok('process:1,2', 'cpu', 'postgres-replica', 0.007), ok('process:1,2', 'cpu', 'redis-sentinel', 0.5),
    ];
    const w = whyOfLevel({
      overall, throughputRps: 100, resources, k6CpuCores: 0.2, generatorBudget: { cores: 2, source: 'machine' }, hostCores: 2, thinkTimeS: 0, stack: facts,
    });
    const parts = w.decomposition!.parts;
    // generator 0.5+0.1+0+0.2+0.2; proxy 0.2/100 s; upstream 45 ms − db 30 − cache 0.5
    expect(parts['generator']).toBeCloseTo(1, 12);
    expect(parts['proxy']).toBeCloseTo(2, 12);
    expect(parts['db']).toBeCloseTo(30, 12);
    expect(parts['cache']).toBeCloseTo(0.5, 12);
    expect(parts['api']).toBeCloseTo(14.5, 12);
    expect(parts['unexplained']).toBeCloseTo(2, 12);
    expect(w.decomposition!.explained).toBe(true);
    expect(w.decomposition!.p95.parts['generator']).toBeCloseTo(2, 12);
    // db: 0.057 of 0.06 cores = 95 %; D = 0.95 / 100 = 9.5 ms; api 0.2 of 0.5 = 40 %; sentinel not counted
    expect(w.laws!.bottleneck.component).toBe('db');
    expect(w.laws!.bottleneck.utilisation).toBeCloseTo(0.95, 12);
    expect(w.laws!.bottleneck.demandMs).toBeCloseTo(9.5, 12);
    expect(w.laws!.components.map((c) => c.component).sort()).toEqual(['api', 'db', 'generator', 'proxy']);
  });

  it('without the stack\'s processes no law is applied (k6 alone would always be the largest); without witnesses all is unexplained', () => {
    const w = whyOfLevel({ overall: { ...overall, phases: undefined }, throughputRps: 100, resources: [], k6CpuCores: 1.9, generatorBudget: { cores: 2, source: 'machine' }, hostCores: 2, thinkTimeS: 1 });
    expect(w.decomposition!.parts).toEqual({ unexplained: 50 });
    expect(w.decomposition!.note).toBe('50.0 ms of the 50.0 ms mean (100 %) is unexplained by the measured parts');
    expect(w.laws).toBeNull();
    const starved = whyOfLevel({
      overall, throughputRps: 100, resources: [ok('process:1', 'cpu', 'api-1', 0.1)], k6CpuCores: 0.049, hostCores: 2, thinkTimeS: 1,
      generatorBudget: { cores: 0.05, source: 'cgroup quota 0.05' }, stack: stackFacts({ 'api-1': 'api' }, { mode: 'shared', plan: { stackCpus: '0-1', cpu: {} } }),
    });
    expect(starved.laws!.bottleneck.component).toBe('generator');
    expect(starved.laws!.bottleneck.utilisation).toBeCloseTo(0.98, 12);
  });

  it("books a throttled database's wait under db: runnable backends and the pool's queue, not only statement time", () => {
    const facts = stackFacts({ 'api-1': 'api', 'postgres-primary': 'db', 'postgres-replica': 'db' }, { mode: 'isolated', plan: { stackCpus: '1', cpu: { db: 0.03 } } });
    // Starved PostgreSQL: statements run 0.01 s per second, but 20 + 4 backends wait runnable for their quota, and
    // 0.5 queries wait for a pool connection: L = max(0.01, 24) + 0.5 = 24.5; at 50 rps, 490 ms per request.
    const starved = [
      ok('nginx-log:/x', 'nginx_logged_rate', 'all', 50), ok('nginx-log:/x', 'proxy_queue_busy', 'all', 0.01), ok('nginx-log:/x', 'upstream_busy', 'all', 26),
      ok('prometheus:u', 'db_busy', 'all', 0.01), ok('prometheus:u', 'db_pool_waiting', 'all', 0.5),
      ok('process:1,2,3', 'runnable', 'postgres-primary', 20), ok('process:1,2,3', 'runnable', 'postgres-replica', 4), ok('process:1,2,3', 'runnable', 'api-1', 1),
    ];
    expect(dbInside(starved, facts)).toBeCloseTo(24.5, 12);
    const w = whyOfLevel({
      overall: { ...overall, latencyMs: { ...overall.latencyMs, mean: 530 } }, throughputRps: 50, resources: starved, k6CpuCores: 0.1,
      generatorBudget: { cores: 1, source: 'CPU set 0' }, hostCores: 2, thinkTimeS: 0.1, stack: facts,
    });
    const parts = w.decomposition!.parts;
    expect(parts['db']).toBeCloseTo(490, 9);
    // upstream 520 ms less the 490 the DB held: the API's own 30 ms.
    expect(parts['api']).toBeCloseTo(30, 9);
    expect(Object.entries(parts).reduce((a, b) => (b[1] > a[1] ? b : a))[0]).toBe('db');
    // Statements waiting on locks or I/O are not runnable: then statement time is the larger witness.
    expect(dbInside([ok('prometheus:u', 'db_busy', 'all', 3), ok('process:1', 'runnable', 'postgres-primary', 1)], facts)).toBe(3);
    // Without the stack's facts processes cannot be told apart; without any witness there is no db part.
    expect(dbInside([ok('process:1', 'runnable', 'postgres-primary', 9)])).toBeNull();
    expect(dbInside([])).toBeNull();
  });

  it("gives the API's own handler time, in all and by route, beside the parts", () => {
    const handler = [
      ok('prometheus:u', 'api_handler_busy', 'all', 2.5), ok('prometheus:u', 'api_handler_rate', 'all', 100),
      ok('prometheus:u', 'api_handler_busy_by_route', 'GET /api/v1/unidades', 2), ok('prometheus:u', 'api_handler_rate_by_route', 'GET /api/v1/unidades', 40),
      ok('prometheus:u', 'api_handler_busy_by_route', 'POST /api/v1/auth/login', 0.5), ok('prometheus:u', 'api_handler_rate_by_route', 'POST /api/v1/auth/login', 60),
      ok('prometheus:u', 'api_handler_busy_by_route', 'GET /idle', 0), ok('prometheus:u', 'api_handler_rate_by_route', 'GET /idle', 0),
      ok('prometheus:u', 'api_handler_busy_by_route', 'all', 2.5), ok('prometheus:u', 'api_handler_rate_by_route', 'all', 100),
    ];
    // 2.5 handler-seconds per second over 100 requests per second: 25 ms; unidades 2/40 = 50 ms; login 0.5/60.
    expect(handlerTime(handler)).toEqual({ meanMs: 25, byRoute: { 'GET /api/v1/unidades': 50, 'POST /api/v1/auth/login': 500 / 60 } });
    const w = whyOfLevel({ overall, throughputRps: 100, resources: handler, k6CpuCores: null, generatorBudget: { cores: 1, source: 'CPU set 0' }, hostCores: 2, thinkTimeS: 1 });
    expect(w.decomposition!.server).toEqual(handlerTime(handler));
    expect(Object.keys(w.decomposition!.parts)).not.toContain('server');
    expect(handlerTime([ok('prometheus:u', 'api_handler_busy', 'all', 1), ok('prometheus:u', 'api_handler_rate', 'all', 0)])).toBeNull();
    expect(whyOfLevel({ overall, throughputRps: 100, resources: [], k6CpuCores: null, generatorBudget: { cores: 1, source: 'x' }, hostCores: 2, thinkTimeS: 1 }).decomposition!.server).toBeUndefined();
  });

  it('counts CPUs of a cpuset list', () => {
    expect([cpusetSize('1'), cpusetSize('2-3'), cpusetSize('0,2-4')]).toEqual([1, 2, 4]);
  });
});
