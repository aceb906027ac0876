import { describe, expect, it } from 'vitest';
import { levelLine, nextStep, reusable, SEARCH_TOLERANCE, splitPoint, type LadderMode, type LadderStep } from '../../../../lib/capacity/ladder/plan.js';
import type { Level } from '../../../../lib/capacity/schema.js';

const done = (users: number, within = true) => ({ users, verdict: { run: { verdict: 'pass' as const, failed: [] }, steady: { withinTargets: within } } });

/** Walks the planner to its end, each measured level holding its targets unless listed in `breaks`. */
function walk(mode: LadderMode, kept: readonly number[], maxExtra: number, breaks: readonly number[] = []): LadderStep[] {
  const steps: LadderStep[] = [];
  const levels: ReturnType<typeof done>[] = [];
  for (;;) {
    const s = nextStep({ requested: [500, 1000, 2000], maxExtra, mode, kept: (u) => kept.includes(u), done: levels });
    steps.push(s);
    if (s.kind === 'stop') return steps;
    for (const u of s.kind === 'reuse' ? [s.users] : s.users) levels.push(done(u, !breaks.includes(u)));
  }
}

describe('ladder planner', () => {
  it('runs the requested levels as one staircase, then doubles one level a run while the targets hold', () => {
    expect(walk('staircase', [], 2)).toEqual([
      { kind: 'measure', users: [500, 1000, 2000], strategy: 'staircase' },
      { kind: 'measure', users: [4000], strategy: 'per-level' },
      { kind: 'measure', users: [8000], strategy: 'per-level' },
      { kind: 'stop' },
    ]);
  });

  it('runs one level a run per level, reusing each kept one on its own', () => {
    expect(walk('per-level', [1000], 0)).toEqual([
      { kind: 'measure', users: [500], strategy: 'per-level' },
      { kind: 'reuse', users: 1000 },
      { kind: 'measure', users: [2000], strategy: 'per-level' },
      { kind: 'stop' },
    ]);
  });

  it('keeps a staircase only whole: every level kept is reused, one missing runs them all again', () => {
    expect(walk('staircase', [500, 1000, 2000, 4000], 1)).toEqual([
      { kind: 'reuse', users: 500 }, { kind: 'reuse', users: 1000 }, { kind: 'reuse', users: 2000 }, { kind: 'reuse', users: 4000 }, { kind: 'stop' },
    ]);
    expect(walk('staircase', [500, 2000], 0)).toEqual([{ kind: 'measure', users: [500, 1000, 2000], strategy: 'staircase' }, { kind: 'stop' }]);
  });

  it('stops doubling at the first level that broke its targets, and at the allowance', () => {
    expect(walk('staircase', [], 6, [4000])).toEqual([
      { kind: 'measure', users: [500, 1000, 2000], strategy: 'staircase' },
      { kind: 'measure', users: [4000], strategy: 'per-level' },
      { kind: 'stop' },
    ]);
    expect(walk('per-level', [], 6, [2000]).map((s) => s.kind)).toEqual(['measure', 'measure', 'measure', 'stop']);
  });

  it('reuses a kept level only when it finished and was measured the same way', () => {
    const want = { scenario: 'mix', scale: 0.05, steadyS: 20 };
    const kept = { scenario: 'mix', steadyS: 20, level: { complete: true, scale: 0.05 } };
    expect(reusable(kept, want)).toBe(true);
    expect(reusable(null, want)).toBe(false);
    expect(reusable({ ...kept, level: { complete: false, scale: 0.05 } }, want)).toBe(false);
    expect(reusable({ ...kept, level: { complete: true, scale: 0.1 } }, want)).toBe(false);
    expect(reusable({ ...kept, scenario: 'morador' }, want)).toBe(false);
    expect(reusable({ ...kept, steadyS: null }, want)).toBe(false);
  });

  it('reuses a level run until decided only for a ladder run until decided, and a fixed-time level only for a fixed one', () => {
    const fixed = { scenario: 'mix', steadyS: 90, level: { complete: true, scale: 0.05 } };
    const decided = { ...fixed, level: { ...fixed.level, endedBy: 'decided' as const } };
    const maxed = { ...fixed, level: { ...fixed.level, endedBy: 'max-duration' as const } };
    const interrupted = { ...fixed, level: { complete: false, scale: 0.05, endedBy: 'interrupted' as const } };
    const until = { scenario: 'mix', scale: 0.05, steadyS: 90, untilDecided: true };
    const fixedWant = { scenario: 'mix', scale: 0.05, steadyS: 90 };
    expect([fixed, decided, maxed, interrupted].map((k) => reusable(k, until))).toEqual([false, true, true, false]);
    expect([fixed, decided, maxed, interrupted].map((k) => reusable(k, fixedWant))).toEqual([true, false, false, false]);
    expect(reusable(fixed, { ...until, untilDecided: false })).toBe(true);
  });

  it('says each finished level in one line', () => {
    const l = {
      users: 1000, vus: 50, throughputRps: 41.26, latencyMs: { p50: 5, p95: 12.4, p99: 30 }, errorRate: 0.00123, rateLimited: 2,
      verdict: { run: { verdict: 'warn', failed: [] }, steady: { withinTargets: true } },
    } as unknown as Level;
    expect(levelLine(l)).toBe('level 1000: 50 VUs, 41.3 rps, P95 12 ms, errors 0.12%, 429s 2 — within targets (gate warn)');
    expect(levelLine({ ...l, verdict: { ...l.verdict, run: { verdict: 'fail', failed: [] } }, endedBy: 'failed', decidedAtS: 14 }))
      .toBe('level 1000: 50 VUs, 41.3 rps, P95 12 ms, errors 0.12%, 429s 2 — within targets (gate fail, ended: failed at 14 s)');
    expect(levelLine({ ...l, endedBy: 'max-duration', decidedAtS: null }))
      .toBe('level 1000: 50 VUs, 41.3 rps, P95 12 ms, errors 0.12%, 429s 2 — within targets (gate warn, ended: max-duration)');
  });
});

describe('ladder search', () => {
  /** Walks the planner with a search; a level holds when it is at most `breaksAbove` users. */
  function search(breaksAbove: number, opts: { scale?: number; fits?: (u: number) => boolean; requested?: number[] } = {}) {
    const levels: ReturnType<typeof done>[] = [];
    const steps: LadderStep[] = [];
    const scale = opts.scale ?? 1;
    for (let i = 0; i < 20; i++) {
      const s = nextStep({
        requested: opts.requested ?? [500, 1000, 2000], maxExtra: 6, mode: 'staircase', kept: () => false, done: levels,
        search: { tolerance: SEARCH_TOLERANCE, vusOf: (u) => Math.round(u * scale), fits: opts.fits ?? (() => true) },
      });
      steps.push(s);
      if (s.kind === 'stop') break;
      for (const u of s.kind === 'reuse' ? [s.users] : s.users) levels.push(done(u, u <= breaksAbove));
    }
    return steps.map((s) => (s.kind === 'measure' ? s.users.join('-') : s.kind));
  }

  it('doubles until a level breaks, then splits the bracket geometrically until it is within ±10 %', () => {
    // 2000 held, 4000 broke: √(2000·4000) = 2828 → 2800 held; √(2800·4000) = 3347 → 3300 broke; (3300−2800)/(6100) = 8 % ≤ 10 %.
    expect(search(2900)).toEqual(['500-1000-2000', '4000', '2800', '3300', 'stop']);
    // Breaks within the requested levels: the search starts from there, no doubling.
    expect(search(700)).toEqual(['500-1000-2000', '710', '600', 'stop']);
  });

  it('stops when the next level would repeat the VUs of a bracket end, or not fit the load budget', () => {
    // Scale 0.001: 2000 → 2 VUs, 4000 → 4, 2800 → 3, then 3300 → 3 again: nothing finer to measure.
    expect(search(2900, { scale: 0.001 })).toEqual(['500-1000-2000', '4000', '2800', 'stop']);
    // Scale 0.0005: 2800 → 1 VU, as 2000.
    expect(search(2900, { scale: 0.0005 })).toEqual(['500-1000-2000', '4000', 'stop']);
    expect(search(2900, { fits: (u) => u <= 3000 })).toEqual(['500-1000-2000', 'stop']);
    expect(search(2900, { fits: (u) => u !== 3300 })).toEqual(['500-1000-2000', '4000', '2800', 'stop']);
  });

  it('halves the lowest level while nothing holds, then splits the bracket', () => {
    // 250 and 125 broke, 63 held: √(63·125) = 88.7 → 89 held; √(89·125) = 105.5 → 110 broke; √(89·110) = 98.9 → 99
    // held; (110−99)/(209) = 5 % ≤ 10 %.
    expect(search(100)).toEqual(['500-1000-2000', '250', '125', '63', '89', '110', '99', 'stop']);
    // Halving stops where the VUs would not change, at one user, or past the load budget.
    expect(search(0, { requested: [4] })).toEqual(['4', '2', '1', 'stop']);
    expect(search(100, { scale: 0.01 })).toEqual(['500-1000-2000', '250', '125', 'stop']);
    expect(search(100, { fits: (u) => u >= 200 })).toEqual(['500-1000-2000', '250', 'stop']);
  });

  it('stops when none broke within the doubling allowance', () => {
    expect(search(1e9, { requested: [1] })).toEqual(['1', '2', '4', '8', '16', '32', '64', 'stop']);
  });

  it('splits at two significant digits inside the bracket, else at the whole geometric mean', () => {
    expect(splitPoint(2000, 4000)).toBe(2800);
    expect(splitPoint(2800, 3300)).toBe(3000);
    expect(splitPoint(10, 12)).toBe(11);
    expect(splitPoint(100, 102)).toBe(101);
  });
});
