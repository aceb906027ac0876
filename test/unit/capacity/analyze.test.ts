import { describe, expect, it } from 'vitest';
import { analyzeCapacity, type AnalysisInput } from '../../../lib/capacity/analyze.js';
import type { Level } from '../../../lib/capacity/schema.js';
import type { ResourceSummary } from '../../../lib/collect/schema.js';
import { CapacityResult } from '../../../lib/capacity/schema.js';
import { uslThroughput } from '../../../lib/capacity/usl.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { ExitCode } from '../../../lib/exit-codes.js';

const ok = (resource: string, unit: string, mean: number, instance = 'all'): ResourceSummary =>
  ({ status: 'ok', collector: 'scrape:x', resource, instance, unit, samples: 10, mean, min: mean, max: mean, last: mean });

function level(vus: number, x: number, p95: number, extra: Partial<Level> = {}): Level {
  return {
    users: vus * 20, vus, scale: 0.05, profile: `load-${vus * 20}`, runDir: 'staircase', dir: `level-${vus * 20}`,
    window: { start: '2025-01-01T00:00:00.000Z', end: '2025-01-01T00:01:00.000Z' },
    requests: Math.round(x * 60), throughputRps: x, latencyMs: { p50: p95 / 3, p95, p99: p95 * 1.5 }, errorRate: 0,
    verdict: { run: { verdict: p95 <= 300 ? 'pass' : 'fail', failed: p95 <= 300 ? [] : ['p95'] }, steady: { withinTargets: p95 <= 300 } },
    resources: [ok('memory', 'bytes', 300e6 + 1e6 * vus), ok('cpu', 'cores', 0.01 * x)],
    dbTime: { queryRatePerS: 2 * x, meanHoldS: 0.002, busyConnections: 2 * x * 0.002, source: 'test' },
    complete: true, ...extra,
  };
}

const usl = { sigma: 0.02, kappa: 0.0001, lambda: 0.33 };
const base = (levels: Level[], extra: Partial<AnalysisInput> = {}): AnalysisInput => ({
  meta: { createdAt: '2025-01-01T00:00:00.000Z', target: 'http://127.0.0.1:18400', scenario: 'mix', scale: 0.05, toolVersion: '0', levelsRequested: levels.map((l) => l.users), collectors: ['scrape:x'], currentInstances: 2 },
  targets: { p95Ms: 300, p99Ms: 500, errorRate: 0.001, targetUtilisation: 0.7, redundancy: 1, thinkTimeS: 3 },
  levels, ...extra,
});

describe('analyzeCapacity', () => {
  const levels = [25, 50, 100, 150].map((n) => level(n, uslThroughput(usl, n), n < 150 ? 40 + n : 600));
  const result = analyzeCapacity(base(levels, { assertions: [{ users: 500, apiInstances: 3, dbConnections: 150, ramGb: 8 }] }));

  it('writes a result the schema accepts', () => {
    expect(validateOrThrow(CapacityResult, result, 'capacity.json', ExitCode.BAD_INPUT)).toBe(result);
  });

  it('fits the USL on VUs and throughput', () => {
    expect(result.usl.model).toBe('usl');
    expect(result.usl.sigma).toBeCloseTo(0.02, 6);
    expect(result.usl.kappa).toBeCloseTo(0.0001, 8);
    expect(result.saturation.uslPeakVus!).toBeCloseTo(Math.sqrt(0.98 / 0.0001), 3);
    expect(result.saturation.firstBreachVus).toBe(150);
  });

  it('sizes instances from the best passing level (100 VUs) over 2 instances when the curve is retrograde', () => {
    const x100 = uslThroughput(usl, 100);
    expect(result.perInstance.throughputAtTargetRps!).toBeCloseTo(x100 / 2, 9);
    const row = result.sizing.find((r) => r.users === 1000)!;
    // Demand per user: median of X/N over the passing levels 25, 50, 100.
    const perUser = [25, 50, 100].map((n) => uslThroughput(usl, n) / n).sort((a, b) => a - b);
    expect(row.throughputRps.value).toBeCloseTo(perUser[1]! * 1000, 9);
    expect(row.throughputRps.low).toBeCloseTo(perUser[0]! * 1000, 9);
    expect(row.instances.value).toBe(Math.ceil((perUser[1]! * 1000) / ((x100 / 2) * 0.7)) + 1);
    expect(row.extrapolated).toBe(true);
    expect(result.sizing.find((r) => r.users === 500)!.extrapolated).toBe(true);
  });

  it('sizes instances from the throughput at the target crossing when throughput still grows there', () => {
    // X = N/3; P95 = 40 + N below 150 VUs, 600 ms at 150: P95 crosses 300 ms at 100 + 160/460·50 = 117 VUs.
    const growing = [25, 50, 100, 150].map((n) => level(n, n / 3, n < 150 ? 40 + n : 600));
    const r = analyzeCapacity(base(growing));
    const atCrossing = 117 / 3 / 2;
    expect(r.perInstance.throughputAtTargetRps!).toBeCloseTo(atCrossing, 9);
    expect(r.perInstance.basis).toMatch(/target crossing \(117 VUs\) between 100 and 150 VUs/);
    const row = r.sizing.find((x) => x.users === 1000)!;
    // Demand 1/3 rps per user → 333.3 rps; value at 19.5 rps/instance, low at the failing level's 25 rps/instance,
    // high at the passing level's 16.7 rps/instance.
    expect(row.instances.value).toBe(Math.ceil(1000 / 3 / (atCrossing * 0.7)) + 1);
    expect(row.instances.low).toBe(Math.ceil(1000 / 3 / (25 * 0.7)) + 1);
    expect(row.instances.high).toBe(Math.ceil(1000 / 3 / ((100 / 3 / 2) * 0.7)) + 1);
    expect(row.notes.join(' ')).toMatch(/at the target crossing/);
  });

  it('models RAM linearly in VUs, adding idle footprint for extra instances', () => {
    const ram = result.linearModels.find((m) => m.name === 'ram-vs-users')!;
    expect(ram.status).toBe('ok');
    if (ram.status !== 'ok') return;
    expect(ram.slope).toBeCloseTo(1e6, 3);
    expect(ram.intercept).toBeCloseTo(300e6, 0);
    const row = result.sizing.find((r) => r.users === 500)!;
    const extra = (row.instances.value - 2) * 150e6;
    expect(row.ramBytes!.value).toBeCloseTo(300e6 + 500e6 + extra, 0);
    expect(row.ramBytes!.high - row.ramBytes!.low).toBeCloseTo(0, 0);
  });

  it("sizes DB connections by Little's law over the utilisation target", () => {
    const row = result.sizing.find((r) => r.users === 500)!;
    expect(result.dbConnections.littlesLaw!.meanHoldMs).toBeCloseTo(2, 12);
    expect(row.dbConnections!.value).toBeGreaterThan(0);
    expect(row.dbConnections!.low).toBeLessThanOrEqual(row.dbConnections!.value);
  });

  it('finds max users by interpolating P95 across the breach', () => {
    // P95 140 ms at 100 VUs, 600 ms at 150: crosses 300 ms at 100 + 160/460·50 = 117.39.
    expect(result.maxUsers.users).toEqual({ value: 117, low: 100, high: 150, extrapolated: false });
    expect(result.maxUsers.limitedBy).toBe('targets broken at 150 VUs (P95 600 ms > 300 ms, P99 900 ms > 500 ms)');
  });

  it('judges every asserted cell', () => {
    expect(result.assertions.map((a) => a.resource)).toEqual(['apiInstances', 'dbConnections', 'ramGb']);
    const inst = result.assertions[0]!;
    expect(inst.verdict).toBe(inst.asserted >= inst.measured!.high ? 'confirmed' : inst.asserted < inst.measured!.low ? 'refuted' : 'not-measurable');
    expect(result.assertions[2]!.verdict).toBe('confirmed');
  });

  it('marks missing series as missing and never models them as zero', () => {
    const noMem = levels.map((l) => ({ ...l, resources: [{ status: 'missing' as const, collector: 'scrape:x', resource: 'memory', instance: 'all', unit: 'bytes', reason: 'connection refused' }] }));
    const r = analyzeCapacity(base(noMem, { assertions: [{ users: 500, apiInstances: 3, dbConnections: 150, ramGb: 8 }] }));
    expect(r.linearModels[0]!.status).toBe('missing');
    expect(r.sizing[0]!.ramBytes).toBeNull();
    expect(r.assertions[2]!.verdict).toBe('not-measurable');
    expect(r.caveats.join(' ')).toMatch(/Missing series \(not zero\): scrape:x memory/);
  });

  it('falls back with two levels and says so', () => {
    const r = analyzeCapacity(base(levels.slice(0, 2)));
    expect(r.usl.model).not.toBe('usl');
    expect(r.caveats.join(' ')).toMatch(/two load levels/);
    expect(r.linearModels[0]!.status).toBe('missing');
  });

  it('leaves incomplete levels out of the models', () => {
    const r = analyzeCapacity(base([...levels.slice(0, 3), { ...levels[3]!, complete: false }]));
    expect(r.usl.points).toBe(3);
    expect(r.levels).toHaveLength(4);
    expect(r.caveats.join(' ')).toMatch(/1 level\(s\) incomplete/);
  });

  it('checks itself on the top level: the USL fitted on the lower levels predicts it', () => {
    expect(result.holdout).toMatchObject({ fittedOnVus: [25, 50, 100], vus: 150, model: 'usl' });
    expect(result.holdout!.measuredRps).toBeCloseTo(uslThroughput(usl, 150), 9);
    expect(Math.abs(result.holdout!.errorPct)).toBeLessThan(1e-4);
  });

  it('does not refute an asserted instance count when no level saturated the stack', () => {
    // Linear scaling, all levels fast: the measured per-instance throughput is only a floor.
    const easy = [25, 50, 100].map((n) => level(n, n / 3, 20));
    const r = analyzeCapacity(base(easy, { assertions: [{ users: 500, apiInstances: 3, dbConnections: 150, ramGb: 8 }] }));
    const row = r.sizing.find((x) => x.users === 500)!;
    // 500 users × 1/3 rps = 166.7 rps; measured 100/3 rps over 2 instances = 16.7 rps each → ceil(166.7 / 11.67) + 1 = 16.
    expect(row.instances.value).toBe(16);
    expect(row.instances.high).toBe(16);
    expect(row.instances.low).toBe(2);
    expect(row.notes.join(' ')).toMatch(/upper bound \(no level saturated the stack\)/);
    expect(r.assertions[0]).toMatchObject({ resource: 'apiInstances', verdict: 'not-measurable' });
    expect(r.maxUsers.limitedBy).toMatch(/lower bound/);
  });

  it("says when the gate's whole-run verdict disagrees with the steady window", () => {
    const mixed = levels.map((l, i) => (i === 1 ? { ...l, verdict: { ...l.verdict, run: { verdict: 'fail' as const, failed: ['GET /x p95'] } } } : l));
    expect(analyzeCapacity(base(mixed)).caveats.join(' ')).toMatch(/differs from the steady-window figures at 50 VUs \(gate fail\)/);
    expect(result.caveats.join(' ')).not.toMatch(/differs from the steady-window/);
  });

  it('sizes bytes by user count and says which limit comes first; a ladder without bytes has neither', () => {
    const bw = (vus: number) => ({ inBytesPerS: 400 * vus, outBytesPerS: 1_000 * vus, storedBytesPerS: 300 * vus, cacheHitRatio: 0.5, storeCpuCores: 0.1, storeMemoryBytes: 140e6 });
    const r = analyzeCapacity(base(levels.map((l) => ({ ...l, bandwidth: bw(l.vus) })), { sizingUsers: [1000], linkBytesPerS: 1_000_000 }));
    validateOrThrow(CapacityResult, r, 'capacity.json', ExitCode.BAD_INPUT);
    // 300 B/s per user stored: 300 × 1000 × 86 400 = 25.92 GB a day
    expect(r.sizing[0]!.bandwidth).toEqual({ inBytesPerS: 400_000, outBytesPerS: 1_000_000, storageBytesPerDay: 25_920_000_000 });
    // 1 MB/s link, 1 000 B/s out per VU: full at 1000, more than the capacity found (2000 users at scale 0.05: 100 VUs)
    expect(r.capacity!.users).toBe(2000);
    expect(r.limitsFirst).toEqual({
      limitedBy: 'cpu', bandwidthUsers: 1000, cpuUsers: 100, linkBytesPerS: 1_000_000,
      line: 'CPU limits first, at 100 users; a 1.00 MB/s link would be full only at 1000 (1.00 KB/s out per user)',
    });
    expect(result.limitsFirst).toBeUndefined();
    expect(result.sizing.every((row) => row.bandwidth === undefined)).toBe(true);
  });
});
