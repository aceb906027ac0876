import { describe, expect, it } from 'vitest';
import { buildLevel, heldToEnd, type LevelContext, type LevelCut } from '../../../../lib/capacity/ladder/level.js';
import { stackFacts } from '../../../../lib/capacity/ladder/why.js';
import type { CollectedSeries } from '../../../../lib/collect/types.js';
import type { Verdict } from '../../../../lib/gate/schema.js';
import type { RunResult } from '../../../../lib/result/schema.js';

const W = { startMs: 1_000_000, endMs: 1_020_000 }; // 20 s
const series = (resource: string, unit: 'cores' | 'bytes', values: number[], instance = 'all'): CollectedSeries =>
  ({ status: 'ok', resource, instance, unit, samples: values.map((value, i) => ({ t: W.startMs + (i + 1) * 5000, value })) });

const cutResult = {
  overall: { requests: 900, failed: 1, errorRate: 1 / 900, rateLimited: 3, latencyMs: { p50: 10, p95: 120, p99: 480, min: 1, max: 900, mean: 20, p90: 90, p999: 700 } },
  droppedIterations: 0,
} as unknown as RunResult;
const verdict = {
  verdict: 'fail',
  criteria: [
    { group: 'overall', metric: 'p95', target: '< 100 ms', status: 'fail' },
    { group: 'overall', metric: 'errorRate', target: '< 0.1 %', status: 'pass' },
    { group: 'GET /a', metric: 'p99', target: '< 400 ms', status: 'fail' },
  ],
} as unknown as Verdict;

const ctx: LevelContext = {
  scale: 0.05, runDir: 'staircase', dir: 'level-1000', run: { startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:05:00.000Z' },
  collected: [{ spec: 'scrape:x', series: [series('cpu', 'cores', [0.5, 0.7, 0.9, 5])] }, { spec: 'host:cpu', series: [series('host_idle', 'cores', [1, 1.2, 0.8, 1])] }],
  hostSeries: [series('host_idle', 'cores', [1, 1.2, 0.8, 1])],
  k6Series: [series('cpu', 'cores', [0.25, 0.5, 0.25, 0.5], '42'), series('memory', 'bytes', [100e6, 120e6, 110e6, 90e6], '42')],
  generatorVus: 100, cores: 2,
  targets: { p95Ms: 300, p99Ms: 500, errorRate: 0.002, targetUtilisation: 0.7, redundancy: 1, thinkTimeS: 1 },
  instances: 2,
};
const cut: LevelCut = { users: 1000, vus: 50, window: W, result: cutResult, verdict, complete: true };

describe('buildLevel', () => {
  it('turns a cut into a level: the window\'s figures, its gate verdict, resources and generator over the window', () => {
    const l = buildLevel(cut, ctx);
    expect(l).toMatchObject({
      users: 1000, vus: 50, scale: 0.05, profile: 'load-1000', runDir: 'staircase', dir: 'level-1000', instances: 2,
      window: { start: '1970-01-01T00:16:40.000Z', end: '1970-01-01T00:17:00.000Z' },
      requests: 900, throughputRps: 45, latencyMs: { p50: 10, p95: 120, p99: 480 }, errorRate: 1 / 900, rateLimited: 3, complete: true,
      verdict: { run: { verdict: 'fail', failed: ['overall p95 < 100 ms', 'GET /a p99 < 400 ms'] }, steady: { withinTargets: true } },
      dbTime: null,
    });
    // Samples in (start, end]: t = start + 5, 10, 15, 20 s, all four inside.
    expect(l.resources.map((r) => (r.status === 'ok' ? [r.collector, r.resource, r.samples, r.mean] : null))).toEqual([
      ['scrape:x', 'cpu', 4, (0.5 + 0.7 + 0.9 + 5) / 4], ['host:cpu', 'host_idle', 4, 1],
    ]);
    expect(l.generator).toEqual({
      k6CpuCores: 0.375, k6CpuShare: 0.1875, k6RssBytes: 120e6, rssPerVuBytes: 1.2e6, droppedIterations: 0, hostIdleCores: 1, hostCores: 2, bound: false, reason: null,
    });
  });

  it('leaves a level out of the models when k6 is its largest demand and busy past the target utilisation, not merely the largest', () => {
    // k6 at 0.375 cores, one API process at 0.1. Of the machine's 2 cores k6's is 19 %: the largest demand, not a bound.
    const stack = stackFacts({ 'api-1': 'api' }, { mode: 'shared', plan: { stackCpus: '0-1', cpu: {} } });
    const collected = [...ctx.collected, { spec: 'process:7', series: [series('cpu', 'cores', [0.1, 0.1, 0.1, 0.1], 'api-1')] }];
    const light = buildLevel(cut, { ...ctx, collected, stack });
    expect([light.bottleneck?.component, light.bottleneck?.utilisation, light.generator?.bound]).toEqual(['generator', 0.1875, false]);
    // Of a 0.4-core quota it is 94 %, past the 70 % the sizing plans for: the level measured the generator.
    const held = buildLevel(cut, { ...ctx, collected, stack, generatorBudget: { cores: 0.4, source: 'cgroup quota' } });
    expect([held.bottleneck?.component, held.bottleneck?.utilisation, held.generator?.bound]).toEqual(['generator', 0.9375, true]);
    expect(held.generator?.reason).toBe('the generator was the bottleneck: generator at 94 %, D = 20.83 ms per request, bound 48 rps');
  });

  it('leaves out a level whose throughput accounts for fewer users than it ran (N = X·(R + Z)), for a scenario whose think time is known', () => {
    const known = { ...ctx, thinkKnown: true, targets: { ...ctx.targets, thinkTimeS: 3 } };
    const level = (vus: number, requests: number, mean: number, c: LevelContext = known) => buildLevel(
      { ...cut, users: vus, vus, result: { ...cutResult, overall: { ...cutResult.overall, requests, latencyMs: { ...cutResult.overall.latencyMs, mean } } } as RunResult }, c);
    // A demo's 2400-user level after a step that had spent its addresses' logins: 597.4 rps at a 14.9 ms mean.
    const short = level(2400, 11_948, 14.9);
    expect(short.generator?.bound).toBe(true);
    expect(short.generator?.reason).toBe('only 1801 of 2400 VUs were sending (N = X·(R + Z) = 597.4 rps × 3.01 s): the others waited, as a VU refused its login does');
    // Its 2000-user level: 665 rps at 20 ms is 2008 users, all of them.
    expect(level(2000, 13_300, 20).generator?.bound).toBe(false);
    // The floor: 85 % of the VUs sending is enough, a little less is not (100 VUs, 1 s think time, no response time).
    const one = { ...known, targets: { ...known.targets, thinkTimeS: 1 } };
    expect(level(100, 1700, 0, one).generator?.bound).toBe(false);
    expect(level(100, 1698, 0, one).generator?.reason).toBe('only 85 of 100 VUs were sending (N = X·(R + Z) = 84.9 rps × 1.00 s): the others waited, as a VU refused its login does');
    // A script of one's own: its think time is an assumption, so nothing is inferred from it.
    expect(level(2400, 11_948, 14.9, { ...known, thinkKnown: false }).generator?.bound).toBe(false);
  });

  it('gives a level that counted bytes its bandwidth over the window: MB/s in and out, the store\'s share, the cache ratio and the store\'s process', () => {
    const withBytes = {
      ...cutResult,
      overall: { ...cutResult.overall, bytes: { sent: 20_000_000, received: 60_000_000, sentPerS: 0, receivedPerS: 0 } },
      endpoints: { 'POST /api/v1/encomendas/:id/foto': { bytes: { sent: 16_000_000, received: 800, sentPerS: 0, receivedPerS: 0 } } },
    } as unknown as RunResult;
    const collected = [...ctx.collected,
      { spec: 'process:1,2', series: [series('cpu', 'cores', [0.1, 0.3, 0.1, 0.3], 'object-storage'), series('memory', 'bytes', [140e6, 150e6, 150e6, 160e6], 'object-storage')] },
      { spec: 'nginx-log:x', series: [series('cache_hits', 'cores', [1, 1, 2, 2]), series('cache_lookups', 'cores', [4, 4, 4, 4])] }];
    expect(buildLevel({ ...cut, result: withBytes }, { ...ctx, collected }).bandwidth).toEqual({
      inBytesPerS: 1_000_000, outBytesPerS: 3_000_000, storedBytesPerS: 800_000, cacheHitRatio: 0.375, storeCpuCores: 0.2, storeMemoryBytes: 150e6,
      storeDiskReadBytesPerS: null, storeDiskWriteBytesPerS: null,
    });
    expect('bandwidth' in buildLevel(cut, ctx)).toBe(false);
  });

  it('keeps why a level run until decided ended and when it was decided; a fixed-time level has neither', () => {
    const decided = buildLevel({ ...cut, ended: { by: 'decided', decidedAtS: 67 } }, ctx);
    expect([decided.endedBy, decided.decidedAtS]).toEqual(['decided', 67]);
    // Never held its plateau (interrupted in its ramp): still says why it ended, undecided.
    const cutShort = buildLevel({ ...cut, window: null, result: null, verdict: null, complete: false, ended: { by: 'interrupted', decidedAtS: null } }, ctx);
    expect([cutShort.endedBy, cutShort.decidedAtS, cutShort.complete]).toEqual(['interrupted', null, false]);
    const fixed = buildLevel(cut, ctx);
    expect('endedBy' in fixed || 'decidedAtS' in fixed).toBe(false);
  });

  it('judges the steady window against the capacity targets: P95, P99 and error rate must all hold', () => {
    const at = (p99: number, errorRate: number) => buildLevel({ ...cut, result: { ...cutResult, overall: { ...cutResult.overall, errorRate, latencyMs: { ...cutResult.overall.latencyMs, p99 } } } as RunResult }, ctx);
    expect(at(480, 0.001).verdict.steady.withinTargets).toBe(true);
    expect(at(501, 0.001).verdict.steady.withinTargets).toBe(false);
    expect(at(480, 0.0021).verdict.steady.withinTargets).toBe(false);
  });

  it('gives a level never held an empty, incomplete level over the whole run', () => {
    const l = buildLevel({ users: 2000, vus: 100, window: null, result: null, verdict: null, complete: false }, { ...ctx, dir: 'level-2000' });
    expect(l).toEqual({
      users: 2000, vus: 100, scale: 0.05, profile: 'load-2000', runDir: 'staircase', dir: 'level-2000', instances: 2,
      window: { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:05:00.000Z' },
      requests: 0, throughputRps: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, errorRate: 0,
      verdict: { run: { verdict: 'inconclusive', failed: [] }, steady: { withinTargets: false } }, resources: [], dbTime: null, complete: false,
    });
  });
});

describe('heldToEnd', () => {
  it('trusts every window of a run that ended cleanly, and all but the last found of one cut short', () => {
    expect(heldToEnd([W, W, W], true)).toEqual([true, true, true]);
    expect(heldToEnd([W, W, null], false)).toEqual([true, false, false]);
    expect(heldToEnd([W, null], true)).toEqual([true, false]);
    expect(heldToEnd([null], false)).toEqual([false]);
  });
});
