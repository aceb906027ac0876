import { describe, expect, it } from 'vitest';
import { levelLine, nextStep, reusable, type LadderMode, type LadderStep } from '../../../../lib/capacity/ladder/plan.js';
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
