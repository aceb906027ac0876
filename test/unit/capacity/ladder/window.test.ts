import { describe, expect, it } from 'vitest';
import { steadyWindows, warmupEnd } from '../../../../lib/capacity/ladder/window.js';
import { warmupNote } from '../../../../lib/capacity/warmup.js';
import type { TimelinePoint } from '../../../../lib/result/schema.js';

/** A deterministic ±20 % wobble, so the detector sees noise, not a flat line. */
const wobble = (i: number) => 1 + 0.2 * Math.sin(i * 2.3);

describe('warmupEnd: where a plateau\'s steady state begins', () => {
  it('opens after a cold stack\'s fall: 18 s near 600 ms, then 20 ms to the end of 45 s', () => {
    const p95 = Array.from({ length: 45 }, (_, i) => (i < 18 ? 600 : 20) * wobble(i));
    const w = warmupEnd(p95);
    expect(w.startS).toBe(18);
    expect(w.warmup!.leftOutS).toBe(18);
    expect(w.warmup!.p95BeforeMs).toBeGreaterThan(500);
    expect(w.warmup!.p95AfterMs).toBeLessThan(25);
  });

  it('follows a fall in two steps to its end', () => {
    const p95 = Array.from({ length: 45 }, (_, i) => (i < 8 ? 900 : i < 16 ? 200 : 15) * wobble(i));
    expect(warmupEnd(p95).startS).toBe(16);
  });

  it('keeps the fixed settle for a flat plateau, a climbing one (a level past capacity), and a stall later on', () => {
    const flat = Array.from({ length: 45 }, (_, i) => 20 * wobble(i));
    const climbing = Array.from({ length: 45 }, (_, i) => (i < 20 ? 200 : 2000) * wobble(i));
    const stall = Array.from({ length: 45 }, (_, i) => (i >= 10 && i < 16 ? 800 : 20) * wobble(i));
    for (const p95 of [flat, climbing, stall]) expect(warmupEnd(p95)).toEqual({ startS: 5 });
  });

  it('leaves out at most two thirds of the plateau: a fall later than that is the level\'s own behaviour', () => {
    expect(warmupEnd(Array.from({ length: 45 }, (_, i) => (i < 26 ? 120 : 7) * wobble(i))).startS).toBe(26);
    const late = Array.from({ length: 45 }, (_, i) => (i < 32 ? 600 : 20) * wobble(i));
    expect(warmupEnd(late)).toEqual({ startS: 5 });
  });

  it('ignores falls below 1.5× (30 → 24 ms) and seconds without requests', () => {
    const small = Array.from({ length: 45 }, (_, i) => (i < 18 ? 30 : 24) * (1 + 0.01 * Math.sin(i * 2.3)));
    expect(warmupEnd(small)).toEqual({ startS: 5 });
    const gaps = Array.from({ length: 45 }, (_, i) => (i % 7 === 3 ? null : (i < 18 ? 600 : 20) * wobble(i)));
    expect(warmupEnd(gaps).startS).toBe(18);
    expect(warmupEnd([100, 10, 10, 10])).toEqual({ startS: 1 }); // too short to judge: a quarter, as before
    // A 20-s plateau (a smoke test's) keeps the fixed settle, fall or not.
    expect(warmupEnd(Array.from({ length: 20 }, (_, i) => (i < 8 ? 600 : 20) * wobble(i)))).toEqual({ startS: 5 });
  });
});

describe('steadyWindows with a warm-up', () => {
  const point = (t: number, vus: number, p95Ms: number): TimelinePoint => ({ t, vus, requests: 10, errors: 0, rateLimited: 0, p50Ms: 1, p95Ms, p99Ms: p95Ms });
  const tl = [point(99, 100, 5), ...Array.from({ length: 45 }, (_, i) => point(100 + i, 500, (i < 18 ? 600 : 20) * wobble(i))), point(145, 0, 5)];

  it('opens the window where the P95 stopped falling, and says so', () => {
    const [w] = steadyWindows(tl, [500]);
    expect(w).toMatchObject({ startMs: 118_000, endMs: 144_000, warmup: { leftOutS: 18 } });
  });

  it('keeps the fixed settle when asked (a run its live gate judged from there)', () => {
    expect(steadyWindows(tl, [500], { adaptive: false })).toEqual([{ startMs: 105_000, endMs: 144_000 }]);
  });
});

describe('the warm-up line', () => {
  it('names each level whose window opened late, with its P95 before and after', () => {
    expect(warmupNote([{ users: 500, warmup: { leftOutS: 18, p95BeforeMs: 612.4, p95AfterMs: 19.6 } }, { users: 1000 }])).toBe(
      'Warm-up left out: 500 users\' first 18 s (P95 612 → 20 ms). Each window opened once the per-second P95 stopped ' +
      'falling; a cold stack\'s first seconds are what a deploy costs, not what the stack holds.');
    expect(warmupNote([{ users: 500 }])).toBeNull();
  });
});
