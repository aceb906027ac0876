import { describe, expect, it } from 'vitest';
import { analyzeCapacity } from '../../../lib/capacity/analyze.js';
import { formatDocumentSummary, levelUse, limitingFactor } from '../../../lib/capacity/document-summary.js';
import { analyzeScaling, instancePoint, type InstancePoint } from '../../../lib/capacity/scaling.js';
import type { Level } from '../../../lib/capacity/schema.js';
import { levelLoadS, staircaseLoadS } from '../../../lib/capacity/ladder/staircase.js';
import { makeCapacityResult, makeLevels } from '../report/capacity-fixtures.js';

const point = (instances: number, rps: number, held: number | null, idle: number | null = 0.02): InstancePoint => ({
  instances, capacityDir: `instances-${instances}`, throughputAtTargetRps: rps, peakThroughputRps: rps, maxUsersHeld: held, topLevelP95Ms: 3000, topLevelIdleCores: idle,
});

describe('instance scaling from measurement', () => {
  it('says more instances add nothing when throughput and users held do not grow, naming the shared CPU', () => {
    const s = analyzeScaling('http://127.0.0.1:8100', [500, 1000, 2000], [point(2, 540, 1000), point(1, 550, 1000), point(3, 560, 1000)], 2, new Date(0));
    expect(s.points.map((p) => p.instances)).toEqual([1, 2, 3]);
    expect(s.gain).toBeCloseTo(560 / 550 - 1, 12);
    expect(s.addsNothing).toBe(true);
    expect(s.conclusion).toBe('more instances add nothing here: 1: 550 rps, 1000 users held, P95 3000 ms at the top level; ' +
      '2: 540 rps, 1000 users held, P95 3000 ms at the top level; 3: 560 rps, 1000 users held, P95 3000 ms at the top level ' +
      '(throughput +2 % from 1 to 3 instances). Every instance runs on the same 2 cores (0.02 idle at the top level), shared with the ' +
      'load generator: the shared CPU is the limit, so the document\'s "add api-4, api-5" needs more machines, not more processes on this one');
  });

  it('says nothing about instances when no count was saturated (every one held the top level)', () => {
    const s = analyzeScaling('t', [1000, 2000], [point(1, 652, 2000), point(2, 668, 2000)], 2, new Date(0));
    expect(s).toMatchObject({ saturated: false, addsNothing: false });
    expect(s.conclusion).toMatch(/^no instance count was saturated: every one held all 2000 users/);
  });

  it('fits per-instance throughput when instances do scale', () => {
    const s = analyzeScaling('t', [500, 1000, 2000, 4000], [point(1, 300, 500), point(2, 590, 1000), point(3, 880, 2000)], 16, new Date(0));
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
    expect(text).toContain('Load time: 240 s of k6 load.');
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
