import { describe, expect, it } from 'vitest';
import { analyzeCapacity } from '../../../lib/capacity/analyze.js';
import { formatDocumentSummary, levelUse, limitingFactor } from '../../../lib/capacity/document-summary.js';
import { analyzeScaling, formatScaling, instancePoint, usersPerInstance, type InstancePoint } from '../../../lib/capacity/scaling.js';
import type { Level } from '../../../lib/capacity/schema.js';
import { levelLoadS, staircaseLoadS } from '../../../lib/capacity/ladder/staircase.js';
import { makeCapacityResult, makeLevels } from '../report/capacity-fixtures.js';

const point = (instances: number, rps: number, held: number | null, idle: number | null = 0.02, capacity: InstancePoint['capacity'] = null): InstancePoint => ({
  instances, capacityDir: `instances-${instances}`, throughputAtTargetRps: rps, peakThroughputRps: rps, maxUsersHeld: held, topLevelP95Ms: 3000, topLevelIdleCores: idle, capacity,
});
const size = { cpu: 0.2, memBytes: null, how: 'the full stack restarted at each count, each API instance in a cgroup of 0.2 CPU' };
const scaling = (target: string, levels: number[], points: InstancePoint[], cores: number, extra: Partial<Parameters<typeof analyzeScaling>[0]> = {}) =>
  analyzeScaling({ target, levels, points, cores, now: new Date(0), size, ...extra });

describe('instance scaling from measurement', () => {
  it('says more instances add nothing when throughput and users held do not grow, naming the shared CPU', () => {
    const s = scaling('http://127.0.0.1:8100', [500, 1000, 2000], [point(2, 540, 1000), point(1, 550, 1000), point(3, 560, 1000)], 2);
    expect(s.points.map((p) => p.instances)).toEqual([1, 2, 3]);
    expect(s.gain).toBeCloseTo(560 / 550 - 1, 12);
    expect(s.addsNothing).toBe(true);
    expect(s.conclusion).toBe('more instances add nothing here: 1: 550 rps, 1000 users held, P95 3000 ms at the top level; ' +
      '2: 540 rps, 1000 users held, P95 3000 ms at the top level; 3: 560 rps, 1000 users held, P95 3000 ms at the top level ' +
      '(throughput +2 % from 1 to 3 instances). Every instance runs on the same 2 cores (0.02 idle at the top level), shared with the ' +
      'load generator: the shared CPU is the limit, so the document\'s "add api-4, api-5" needs more machines, not more processes on this one');
  });

  it('says nothing about instances when no count was saturated (every one held the top level)', () => {
    const s = scaling('t', [1000, 2000], [point(1, 652, 2000), point(2, 668, 2000)], 2);
    expect(s).toMatchObject({ saturated: false, addsNothing: false });
    expect(s.conclusion).toMatch(/^no instance count was saturated: every one held all 2000 users/);
  });

  it('fits per-instance throughput when instances do scale', () => {
    const s = scaling('t', [500, 1000, 2000, 4000], [point(1, 300, 500), point(2, 590, 1000), point(3, 880, 2000)], 16);
    expect(s.addsNothing).toBe(false);
    expect(s.fit.perInstanceRps).toBeGreaterThan(280);
    expect(s.fit.perInstanceRps).toBeLessThan(310);
    expect(s.conclusion).toMatch(/^instances scale: /);
  });

  it('takes each instance count\'s figures from its ladder: best throughput within targets, users held, top P95', () => {
    const c = makeCapacityResult({ users: [500, 1000, 2000, 4000] });
    const p = instancePoint(3, 'dir', c);
    const held = c.levels.filter((l) => l.verdict.steady.withinTargets);
    expect(p.maxUsersHeld).toBe(Math.max(...held.map((l) => l.users)));
    expect(p.peakThroughputRps).toBe(Math.max(...c.levels.map((l) => l.throughputRps)));
    expect(p.topLevelP95Ms).toBe(c.levels[3]!.latencyMs.p95);
  });
});

describe('users per instance of the declared size', () => {
  const pts = [point(1, 100, 300, null, { users: 300, low: 250, high: 350 }), point(2, 200, 600, null, { users: 600, low: 500, high: 700 }), point(4, 380, 1100, null, { users: 1100, low: 1000, high: 1300 })];

  it('fits users per instance through the origin from each count\'s capacity and interval', () => {
    // Σn² = 21; Σn·u = 300 + 1200 + 4400 = 5900; lows 5250; highs 6950.
    expect(usersPerInstance(pts)).toEqual({ value: 5900 / 21, low: 250, high: 6950 / 21, lowerBound: false });
    expect(usersPerInstance([point(1, 100, 300, null, { users: 300, low: 300, high: null })])).toEqual({ value: 300, low: 300, high: null, lowerBound: true });
    expect(usersPerInstance([point(1, 100, null)])).toBeNull();
  });

  it('judges the document\'s instance cells for that size, stating the rule and its headroom', () => {
    const s = scaling('t', [500, 1000], pts, 2, { cells: [{ users: 500, apiInstances: 3 }, { users: 2000, apiInstances: 5 }, { users: 1000 }] });
    expect(s.instanceSize).toEqual(size);
    expect(s.cells).toEqual([
      { users: 500, asserted: 3, needed: { value: 2, low: 2, high: 2 }, neededByRule: 4, verdict: 'suffices',
        line: '500 users need 3 instances (asserted): instances of 0.2 CPU hold 281 users each (250–331), so 2 (2) hold 500 users within the targets and the rule (70 % utilisation, N+1) plans 4: 3 suffice, the 1 above what held being the rule\'s headroom' },
      { users: 2000, asserted: 5, needed: { value: 8, low: 7, high: 8 }, neededByRule: 12, verdict: 'too-few',
        line: '2000 users need 5 instances (asserted): instances of 0.2 CPU hold 281 users each (250–331), so 8 (7–8) hold 2000 users within the targets and the rule (70 % utilisation, N+1) plans 12: 5 are too few' },
    ]);
    expect(s.conclusion).toMatch(/; one instance of 0\.2 CPU holds 281 users \(250–331\)$/);
    expect(formatScaling(s).split('\n').slice(0, 5)).toEqual([
      'Instances (the full stack restarted at each count, each API instance in a cgroup of 0.2 CPU):',
      '    1:    100.0 rps at most,    100.0 rps within the targets, holds 300 users (250–350)',
      '    2:    200.0 rps at most,    200.0 rps within the targets, holds 600 users (500–700)',
      '    4:    380.0 rps at most,    380.0 rps within the targets, holds 1100 users (1000–1300)',
      `  fit: ${s.fit.perInstanceRps.toFixed(1)} rps per instance (${s.fit.model}, σ = ${s.fit.sigma.toFixed(2)}, R² = ${s.fit.rSquared.toFixed(3)}); 281 users per instance (250–331)`,
    ]);
  });

  it('calls a cell not measurable when no count held the targets', () => {
    expect(scaling('t', [500], [point(1, 10, null)], 2, { cells: [{ users: 500, apiInstances: 3 }] }).cells[0]).toMatchObject({ verdict: 'not-measurable' });
  });
});

describe('the demo in the document\'s terms', () => {
  it('times the staircase and each level run alone, which the demo\'s search budget counts', () => {
    // Staircase: ramps 13 + 13 + 25 s, three 45 s holds, ramp-down 40 s, 10 s grace = 236 s.
    expect(staircaseLoadS([500, 1000, 2000], { steadyS: 45, rampUpVusPerS: 40 })).toBe(236);
    // 4000 alone: ramp 100 s, hold 45 s, ramp-down 60 s, grace 10 s.
    expect(levelLoadS(4000, { steadyS: 45, rampUpVusPerS: 40 })).toBe(215);
  });

  it('judges users held, prints each level\'s resources, and names what limited the stack', () => {
    const levels: Level[] = makeLevels({ users: [500, 1000, 2000], scale: 1 }).map((l, i) => ({
      ...l, rateLimited: 0, throughputRps: l.vus / 3.1,
      latencyMs: i < 2 ? { p50: 10, p95: 40 * (i + 1), p99: 80 * (i + 1) } : { p50: 900, p95: 3200, p99: 4200 },
      verdict: { ...l.verdict, steady: { withinTargets: i < 2 } },
      resources: [...l.resources, { status: 'ok', collector: 's', resource: 'db_connections', instance: 'all', unit: 'connections', samples: 3, mean: 3, min: 3, max: 3, last: 3 }],
      generator: { k6CpuCores: 0.1 * (i + 1), k6CpuShare: 0.05 * (i + 1), k6RssBytes: 1e9, rssPerVuBytes: 1e9 / l.vus, droppedIterations: 0, hostIdleCores: i === 2 ? 0.05 : 1, hostCores: 2, bound: false, reason: null },
    }));
    const c = analyzeCapacity({ ...makeCapacityResult(), levels, sizingUsers: [500, 1000, 2000], assertions: [{ users: 500, apiInstances: 3, dbConnections: 150, ramGb: 8 }], meta: { ...makeCapacityResult().meta, scale: 1 }, targets: makeCapacityResult().targets });
    expect(c.levels.map((l) => l.verdict.steady.withinTargets)).toEqual([true, true, false]);
    expect(levelUse(c.levels[0]!).dbOpen).toBe(3);
    expect(limitingFactor(c)).toMatch(/^CPU at 2000 users: the stack took [\d.]+ cores and k6 0\.30 of this machine's 2 cores \(0\.05 idle/);
    const text = formatDocumentSummary({ capacity: c, loadS: 240.4, stack: 'embedded' });
    // 1000 users showed 0.02 % errors: within 0.1 %, but not beyond the Wilson interval of its requests, so 500 bounds it below.
    expect(text).toContain('Users held within P95 < 300 ms, P99 < 500 ms, errors < 0.1 %: holds 1,000 users (500–2,000); levels held: 500, 1000');
    expect(text).toContain('How the interval is read: bracket 1000–2000 users (held, broken); 1000 held within the targets but not beyond their sampling noise, so the bound below is 500.');
    expect(text).toContain('"1000+ simultaneous users": CONFIRMED');
    expect(text).toMatch(/500 users {2}dbConnections asserted {2}150: CONFIRMED/);
    // Each sizing line beside its rule and the measured fact; each cell judged two ways.
    expect(text).toContain('  Sizing (rule: 70 % target utilisation, N+1 redundancy), each count beside what was measured to hold:\n' +
      "      500 users  4 instances = 3 measured to hold 500 users + 1 of the rule's headroom (70 % target utilisation, N+1 redundancy)\n" +
      "     1000 users  6 instances = 3 measured to hold 1000 users + 3 of the rule's headroom (70 % target utilisation, N+1 redundancy)\n" +
      '     2000 users  10 instances by the rule (70 % target utilisation, N+1 redundancy); no level of 2000+ users was measured to hold\n');
    expect(text).toContain('  500 users  apiInstances  asserted    3: CONFIRMED      suffices: 3 instances measured to hold 500 users; ' +
      'the rule (70 % target utilisation, N+1 redundancy) plans 4: 1 short of its headroom, not of the measured need; 3 instances asserted, 3 instances used (held 500 users): as much as used');
    expect(text).toContain('  500 users  ramGb         asserted    8 GB: CONFIRMED      suffices: needs 0.87 GB (0.77–0.98); 8 GB suffice; 8 GB asserted, 0.79 GB used (measured at 500 users): 10.1× over');
    expect(text).not.toContain('Budget:');
    const isolated = formatDocumentSummary({ capacity: { ...c, budget: { isolation: 'isolated', summary: 'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25', stackCpus: '1', generatorCpus: '0', generator: { k6: true, ingest: true } } }, loadS: 240.4, stack: 'embedded' });
    expect(isolated).toContain('  Budget: the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25; k6 in the generator group, the ingest kept to CPU 0.\n');
    expect(isolated).toContain('the stack is CPU-bound on its declared budget (CPU 1; k6 on CPU 0).');
    const shared = formatDocumentSummary({ capacity: { ...c, budget: { isolation: 'shared', why: 'no budget declared', summary: 'the stack ran shared (no budget declared)' } }, loadS: 240.4, stack: 'embedded' });
    expect(shared).toContain('  Budget: the stack ran shared (no budget declared).\n');
    expect(shared).toContain('the stack is CPU-bound on a machine it shares with the generator.');
    expect(text).toContain('Load time: 240 s of k6 load.');
  });

  it('prints the files\' side of each level, the bandwidth each sized count needs, and which limits first', () => {
    const levels = makeLevels({ users: [500, 1000], scale: 1 }).map((l, i) => ({
      ...l, bandwidth: { inBytesPerS: 1_000_000 * (i + 1), outBytesPerS: 3_000_000 * (i + 1), storedBytesPerS: 800_000 * (i + 1), cacheHitRatio: 0.5 + 0.25 * i, storeCpuCores: 0.05, storeMemoryBytes: 64 * 2 ** 20, storeDiskReadBytesPerS: 0, storeDiskWriteBytesPerS: 900_000 },
    }));
    const base = makeCapacityResult();
    const c = analyzeCapacity({ meta: { ...base.meta, scale: 1 }, targets: base.targets, levels, sizingUsers: [1000], assertions: [] });
    const text = formatDocumentSummary({ capacity: c, loadS: 100, stack: 'embedded' });
    expect(text).toContain('\n  users   MB/s in  MB/s out  stored MB/s  cache hits  store CPU  store RSS  disk MB/s read  write\n' +
      '    500      1.00      3.00         0.80      50.0 %       0.05     64 MiB      0.00      0.90\n' +
      '   1000      2.00      6.00         1.60      75.0 %       0.05     64 MiB      0.00      0.90\n');
    // 2 kB/s in and 6 kB/s out per user at both levels: 1000 users move 2 and 6 MB/s, and keep 1.6 MB/s a day long.
    expect(text).toContain('                 and 2.00 MB/s in, 6.00 MB/s out, the store growing 138.2 GB a day\n');
    expect(text).toMatch(/\n {2}Bandwidth or CPU: .+\n/);
  });

  it('says why an open-ended capacity has no top when the levels that broke above it were generator-bound', () => {
    const levels = makeLevels({ users: [500, 1000], scale: 1 }).map((l, i) => (i === 1
      ? { ...l, latencyMs: { p50: 400, p95: 900, p99: 1200 }, verdict: { ...l.verdict, steady: { withinTargets: false } },
        generator: { k6CpuCores: 0.9, k6CpuShare: 0.45, k6RssBytes: 1e9, rssPerVuBytes: 1e6, droppedIterations: 0, hostIdleCores: 0.01, hostCores: 2, bound: true, reason: 'k6 competed' } }
      : { ...l, requests: 10_000, errorRate: 0, latencyMs: { p50: 10, p95: 40, p99: 80 }, verdict: { ...l.verdict, steady: { withinTargets: true } } }));
    const base = makeCapacityResult();
    const c = analyzeCapacity({ meta: { ...base.meta, scale: 1 }, targets: base.targets, levels, sizingUsers: [500], assertions: [] });
    expect(c.capacity).toEqual({ users: 500, low: 500, high: null,
      note: "every level held up to 500 users: no breaking point measured; 1000 broke the targets, but the generator was bound there, so they do not bound the stack's capacity" });
  });

  it('leaves a generator-bound level out of the models and says why', () => {
    const levels = makeLevels({ users: [500, 1000, 2000], scale: 1 });
    levels[2] = { ...levels[2]!, generator: { k6CpuCores: 1.2, k6CpuShare: 0.6, k6RssBytes: 1.5e9, rssPerVuBytes: 750_000, droppedIterations: 0, hostIdleCores: 0, hostCores: 2, bound: true, reason: 'k6 used 1.20 cores' } };
    const base = makeCapacityResult();
    const c = analyzeCapacity({ meta: base.meta, targets: base.targets, levels, sizingUsers: [500], assertions: [] });
    expect(c.usl.points).toBe(2);
    expect(c.caveats).toContain('2000 VUs left out of the models: generator-bound (k6 used 1.20 cores).');
    expect(c.levels).toHaveLength(3);
  });
});
