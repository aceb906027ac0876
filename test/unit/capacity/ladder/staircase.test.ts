import { describe, expect, it } from 'vitest';
import { watchGenerator } from '../../../../lib/capacity/ladder/generator.js';
import { staircaseProfile, staircaseRampVusPerS } from '../../../../lib/capacity/ladder/staircase.js';
import { steadyWindows } from '../../../../lib/capacity/ladder/window.js';
import type { TimelinePoint } from '../../../../lib/result/schema.js';
import { k6Options } from '../../../../scenarios/k6-options.js';
import type { ClosedScenario } from '../../../../scenarios/k6-types.js';
import { expectedDurationS, resolveProfile, stairLevels } from '../../../../scenarios/profiles.js';

const point = (t: number, vus: number): TimelinePoint => ({ t, vus, requests: 1, errors: 0, rateLimited: 0, p50Ms: 1, p95Ms: 1, p99Ms: 1 });

describe('staircase', () => {
  it('is one profile stepping through the levels: ramp at the given speed, hold, next level, ramp down once', () => {
    expect(staircaseProfile([500, 1000, 2000])).toBe('stairs-500-1000-2000');
    expect(stairLevels('stairs-500-1000-2000')).toEqual([500, 1000, 2000]);
    expect(stairLevels('load-500')).toBeNull();
    const p = resolveProfile('stairs-500-1000-2000', { rampUpVusPerS: 40, steadyS: 30 });
    expect(p.stages.map((s) => [s.durationS, s.users, s.steady])).toEqual([
      [13, 500, false], [30, 500, true], [13, 1000, false], [30, 1000, true], [25, 2000, false], [30, 2000, true], [40, 0, false],
    ]);
    expect(expectedDurationS('stairs-500-1000', { scale: 0.1 })).toBe(5 + 60 + 5 + 60 + 2);
    expect((k6Options('stairs-500-1000', { scale: 0.1 }).scenarios['stairs-500-1000'] as ClosedScenario).stages.map((s) => s.target)).toEqual([50, 50, 100, 100, 0]);
    expect(() => resolveProfile('stairs-1000-500')).toThrow(/unknown profile/);
  });

  it('ramps as fast as 10 % of the cores can hash the new VUs\' passwords, at most 50 VU/s', () => {
    expect(staircaseRampVusPerS(2)).toBe(40); // 0.1 × 2 cores × 1000 / 5 ms
    expect(staircaseRampVusPerS(2, 20)).toBe(10);
    expect(staircaseRampVusPerS(16)).toBe(50);
    expect(staircaseRampVusPerS(1, 1000)).toBe(1);
  });

  it('cuts each level\'s window from the one timeline: the longest stretch at its VU count, less its last second and settling', () => {
    const tl = [
      ...[10, 30, 50].map((v, i) => point(100 + i, v)),
      ...Array.from({ length: 20 }, (_, i) => point(103 + i, 50)), // 50 VUs from t=102 to 122
      point(123, 80),
      ...Array.from({ length: 8 }, (_, i) => point(124 + i, 100)), // 100 VUs 124..131
      point(132, 50), // ramp-down passes 50 for one second: not the level's window
      point(133, 0),
    ];
    expect(steadyWindows(tl, [50, 100, 200])).toEqual([
      // 102..122 less its last second (the vus sample lags the next ramp): 20 s held, settled 5.
      { startMs: (102 + 5) * 1000, endMs: 122_000 },
      // 124..131 less 131: 7 s held, settled a quarter of it (1 s).
      { startMs: (124 + 1) * 1000, endMs: 131_000 },
      null,
    ]);
    // A level run alone is the same finder with one level: its plateau, settled the same 5 s.
    const alone = [point(200, 10), ...Array.from({ length: 30 }, (_, i) => point(201 + i, 25)), point(231, 0)];
    expect(steadyWindows(alone, [25])).toEqual([{ startMs: 206_000, endMs: 230_000 }]);
  });

  it('ends the top level where its requests stopped: the run\'s final ramp-down began while k6 still counted the VUs', () => {
    // As measured at 100 VUs (think 0.5–1.5 s): about 100 requests a second, then 11 and 0 in the last two seconds.
    const rps = [94, 95, 104, 96, 99, 98, 113, 94, 102, 97, 11, 0];
    const tl = [point(99, 89), ...rps.map((r, i) => ({ ...point(100 + i, 100), requests: r })), point(112, 50)];
    // 100..111: 111 and 110 stopped (under half the median), then 109 (the stop may have begun in it) goes too;
    // 100..108 is 9 s held, settled 2.
    expect(steadyWindows(tl, [100])).toEqual([{ startMs: 102_000, endMs: 109_000 }]);
    expect(steadyWindows([point(300, 25), point(302, 25)], [25])).toEqual([null]); // never held 2 s in a row
  });

  it('marks a level generator-bound when k6 dropped iterations, or took a third of a machine with no idle CPU', () => {
    const w = { startMs: 0, endMs: 10_000 };
    const series = (resource: string, values: number[]) => ({ status: 'ok' as const, resource, instance: 'all', unit: 'cores' as const, samples: values.map((value, i) => ({ t: (i + 1) * 2000, value })) });
    const k6 = [series('cpu', [0.8, 1.0]), { ...series('memory', [1e9, 1.5e9]), unit: 'bytes' as const }];
    const busy = watchGenerator({ k6, host: [series('host_idle', [0.1, 0.1])], window: w, vus: 2000, droppedIterations: 0, cores: 2 });
    expect(busy).toMatchObject({ k6CpuCores: 0.9, k6CpuShare: 0.45, k6RssBytes: 1.5e9, rssPerVuBytes: 750_000, hostIdleCores: 0.1, bound: true });
    expect(busy.reason).toBe('the machine had 0.10 of 2 cores idle while k6 used 0.90: the generator competed with the target for CPU');
    expect(watchGenerator({ k6, host: [series('host_idle', [0.5, 0.5])], window: w, vus: 2000, droppedIterations: 0, cores: 2 }).bound).toBe(false);
    expect(watchGenerator({ k6: [], host: [], window: w, vus: 10, droppedIterations: 3, cores: 2 })).toMatchObject({ bound: true, reason: 'k6 dropped 3 iteration(s): it could not start them on time', k6CpuCores: null });
  });

  it('keeps the steal time the hypervisor took over the window, and none where it was not sampled', () => {
    const w = { startMs: 0, endMs: 10_000 };
    const series = (resource: string, values: number[]) => ({ status: 'ok' as const, resource, instance: 'all', unit: 'cores' as const, samples: values.map((value, i) => ({ t: (i + 1) * 2000, value })) });
    const host = [series('host_idle', [0.5, 0.5]), series('host_steal', [0.2, 0.3, 0.4])];
    expect(watchGenerator({ k6: [], host, window: w, vus: 10, droppedIterations: 0, cores: 2 }).hostStealCores).toBeCloseTo(0.3, 12);
    expect(watchGenerator({ k6: [], host: host.slice(0, 1), window: w, vus: 10, droppedIterations: 0, cores: 2 })).not.toHaveProperty('hostStealCores');
  });
});
