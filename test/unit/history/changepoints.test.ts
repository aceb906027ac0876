// The change-point detector on generated series with known answers: steps found where they were put, a single
// outlier and pure noise not reported, the stopping rule's p-values exact against scipy's t-test.
import { describe, expect, it } from 'vitest';
import { changePoints, lastSegmentStart, splitTest } from '../../../lib/history/changepoints.js';
import { historyChanges } from '../../../lib/history/series.js';
import { flatHistory, STEP_ENDPOINT } from '../../../bench/changepoints/flat.js';
import { tTestSplit } from '../../../lib/history/t-test.js';
import { gaussian, seeded } from '../gate/seeded.js';

/** `n` runs around 100 (sd 5 %), multiplied by `factor` from each 1-based run in `steps` on. */
function series(seed: number, n: number, steps: ReadonlyArray<readonly [run: number, factor: number]> = []): number[] {
  const rng = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const level = steps.reduce((l, [run, f]) => (i + 1 >= run ? l * f : l), 100);
    return level * (1 + 0.05 * gaussian(rng));
  });
}

const runsOf = (xs: number[]) => changePoints(xs).map((c) => c.index + 1);

describe('changePoints', () => {
  it('finds one step of +20 % at run 16 of 30 at run 16', () => {
    const cps = changePoints(series(1, 30, [[16, 1.2]]));
    expect(cps.map((c) => c.index + 1)).toEqual([16]);
    expect(cps[0]!.before).toBeCloseTo(100, -1);
    expect(cps[0]!.change!).toBeGreaterThan(0.15);
    expect(cps[0]!.change!).toBeLessThan(0.25);
    expect(cps[0]!.pValue).toBeLessThan(1e-6);
  });

  it('over 200 seeds (noise sd 5 %), the +20 % step is found at exactly run 16 alone in ≥ 85 %, within ±2 runs in ≥ 99 %', () => {
    let exact = 0;
    let near = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const runs = runsOf(series(seed, 30, [[16, 1.2]]));
      if (runs.length === 1 && runs[0] === 16) exact++;
      if (runs.some((r) => Math.abs(r - 16) <= 2)) near++;
    }
    expect(exact).toBeGreaterThanOrEqual(170);
    expect(near).toBeGreaterThanOrEqual(198);
  });

  it('finds two steps (+20 % at run 11 and again at run 26 of 40)', () => {
    expect(runsOf(series(1, 40, [[11, 1.2], [26, 1.2]]))).toEqual([11, 26]);
    let both = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const runs = runsOf(series(seed, 40, [[11, 1.2], [26, 1.2]]));
      if (runs.some((r) => Math.abs(r - 11) <= 1) && runs.some((r) => Math.abs(r - 26) <= 1)) both++;
    }
    expect(both).toBeGreaterThanOrEqual(190);
  });

  it('finds steps across several windows of a long history (200 runs, steps at 60 and 140)', () => {
    expect(runsOf(series(7, 200, [[60, 1.3], [140, 1.25]]))).toEqual([60, 140]);
  });

  it('does not report a single outlier run (3 × the level at run 15 of 30) as a change point', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const xs = series(seed, 30);
      xs[14] = 300;
      expect(runsOf(xs), `seed ${seed}`).toEqual([]);
    }
  });

  it('reports change points in at most 5 % of 200 pure-noise series of 30 runs', () => {
    let withChanges = 0;
    for (let seed = 1; seed <= 200; seed++) if (changePoints(series(1000 + seed, 30)).length > 0) withChanges++;
    expect(withChanges).toBeLessThanOrEqual(10);
  });

  it('is deterministic and gives the before/after means of the segments', () => {
    const xs = [10, 10, 10, 10, 10, 20, 20, 20, 20, 20];
    expect(changePoints(xs)).toEqual([{ index: 5, before: 10, after: 20, change: 1, pValue: 0 }]);
    expect(changePoints(xs)).toEqual(changePoints(xs));
    expect(lastSegmentStart(changePoints(xs))).toBe(5);
    expect(changePoints([5])).toEqual([]);
    expect(changePoints([4, 4, 4, 4])).toEqual([]);
  });

  it('does not take a step in the last two runs for a change: a segment is at least three runs', () => {
    // +6.5 % from run 29 of 30, the shape of the false alarm flat histories showed with two-run segments.
    expect(runsOf(series(7, 30, [[29, 1.065]]))).toEqual([]);
    expect(runsOf([...Array.from({ length: 27 }, (_, i) => 100 + (i % 3)), 130, 130, 130])).toEqual([28]);
  });

  it('flat histories (30 runs, 24 series each, figures of 4000 generated requests): none of 40 shows a change point', () => {
    // Otava's rule as it was here (two-run segments, the best split's p taken as is) found one in 15 of these 40.
    const alarms = Array.from({ length: 40 }, (_, i) => historyChanges(flatHistory(10_000 + i)).length > 0).filter(Boolean).length;
    expect(alarms).toBe(0);
  }, 30_000);

  it('finds a real +20 % step of one endpoint at its run in such a history, and nothing else', () => {
    const cs = historyChanges(flatHistory(20_001, 30, 4000, 16));
    // The whole run's P95 moves with it: one request in five got slower.
    expect(cs.map((c) => [c.run, c.endpoint, c.metric])).toEqual([[16, 'overall', 'p95'], [16, STEP_ENDPOINT, 'p95'], [16, STEP_ENDPOINT, 'p99']]);
  });

  it('refuses non-finite values and a window under 2', () => {
    expect(() => changePoints([1, Number.NaN, 2])).toThrow(/finite/);
    expect(() => changePoints([1, 2, 3], { window: 1 })).toThrow(/window/);
  });
});

describe('tTestSplit', () => {
  it('matches scipy.stats.ttest_ind (equal_var) on a known pair', () => {
    // scipy.stats.ttest_ind([1, 2, 3, 4], [3, 4, 5, 6, 7]) → t = -2.545875386086578, p = 0.03833372883603087
    const r = tTestSplit([1, 2, 3, 4, 3, 4, 5, 6, 7], 0, 4, 9);
    expect(r.t).toBeCloseTo(2.545875386086578, 12);
    expect(r.pValue).toBeCloseTo(0.03833372883603087, 10);
    expect(r.sdBefore).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('splitTest multiplies the p-value by the places the split could have been', () => {
    // The scipy pair above: p = 0.03833372883603087, split of 9 runs, 8 places.
    expect(splitTest([1, 2, 3, 4, 3, 4, 5, 6, 7], 0, 4, 9).pValue).toBeCloseTo(8 * 0.03833372883603087, 10);
    expect(splitTest([1, 2, 3, 4, 3, 4, 5, 6, 7], 0, 4, 5).pValue).toBe(1);
  });

  it('a new run against a segment: one value on the right, the left segment\'s variance', () => {
    // scipy.stats.ttest_ind([10, 11, 9, 10, 10], [14]) → t = -5.163977794943222, p = 0.006679660787491856
    const r = tTestSplit([10, 11, 9, 10, 10, 14], 0, 5, 6);
    expect(r.t).toBeCloseTo(5.163977794943222, 10);
    expect(r.pValue).toBeCloseTo(0.006679660787491856, 10);
  });
});
