// The steady windows of a ladder's run: a level's percentiles must come from its plateau alone, not the ramp (low
// load), the step before it, a stack still warming up, or the ramp-down. One finder for both strategies (a
// staircase's levels, a lone level).

import { changePoints } from '../../history/changepoints.js';
import type { TimelinePoint } from '../../result/schema.js';
import type { TimeWindow } from '../../units.js';

/** Seconds left out at the start of a plateau: the last VUs' logins and the step's backlog settle. */
export const SETTLE_S = 5;

/** A fall in per-second P95 this large (before ÷ after) is a stack warming up, not noise. */
export const WARMUP_FALL = 1.5;

/**
 * The most of a plateau a warm-up may take. A fresh stack's first 500-user plateau of 45 s fell from about 120 to
 * 7 ms only 26 s in (CPU set isolated); half of it would have kept the warm-up in the window.
 */
export const WARMUP_MAX_SHARE = 2 / 3;

/** Plateaus shorter than this keep the fixed settle: half of a smoke test's plateau is too few seconds to judge. */
export const WARMUP_MIN_PLATEAU_S = 30;

/** The seconds a plateau's per-second P95 kept falling past the settle, and how far it fell. */
export interface Warmup {
  /** Seconds of the plateau left out before the window (the settle included). */
  leftOutS: number;
  /** Per-second P95 before and after the fall, geometric means, ms. */
  p95BeforeMs: number;
  p95AfterMs: number;
}

export interface SteadyWindow extends TimeWindow {
  /** Set when the window opened later than the settle because the plateau's P95 was still falling. */
  warmup?: Warmup;
}

/** The fixed settle of a plateau of `heldS` seconds: SETTLE_S, at most a quarter of it. */
const fixedSettleS = (heldS: number, settleS: number): number => Math.min(settleS, Math.floor(heldS / 4));

/**
 * Where a plateau's steady state begins, from its per-second P95s (seconds without requests dropped): the settle,
 * or later when the plateau opens with a fall, i.e. its first change points (E-divisive, history/changepoints.ts,
 * on log P95: latency moves by factors) are falls of at least WARMUP_FALL each, the last of them within the first
 * WARMUP_MAX_SHARE of a plateau of WARMUP_MIN_PLATEAU_S or more. A fresh stack's first level was measured so: P95 150–950 ms
 * for 15–19 s, then 6–30 ms to the end, and its verdict was the warm-up's. Only a fall that opens the plateau
 * counts: a stall later in it, and a level whose latency climbs (a level past its capacity), keep every second of
 * their window.
 */
export function warmupEnd(p95Ms: readonly (number | null)[], settleS = SETTLE_S): { startS: number; warmup?: Warmup } {
  const at: number[] = [];
  const logs: number[] = [];
  p95Ms.forEach((v, i) => {
    if (v !== null && Number.isFinite(v) && v >= 0) {
      at.push(i);
      logs.push(Math.log1p(v));
    }
  });
  const most = Math.floor(p95Ms.length * WARMUP_MAX_SHARE);
  const base = { startS: fixedSettleS(p95Ms.length, settleS) };
  if (p95Ms.length < WARMUP_MIN_PLATEAU_S || logs.length < WARMUP_MIN_PLATEAU_S / 2) return base;
  let end: { index: number; before: number; after: number } | null = null;
  let first: number | null = null;
  for (const cp of changePoints(logs)) {
    const s = at[cp.index]!;
    if (cp.before - cp.after < Math.log(WARMUP_FALL) || s > most) break;
    first ??= cp.before;
    end = { index: s, before: first, after: cp.after };
  }
  if (!end || end.index <= base.startS) return base;
  return { startS: end.index, warmup: { leftOutS: end.index, p95BeforeMs: Math.expm1(end.before), p95AfterMs: Math.expm1(end.after) } };
}

/**
 * The last second of a stretch at one VU count [from, to] that belongs to its plateau. The `vus` sample is taken
 * once a second, so the next ramp (or the run's final stop) may have begun within the stretch's last second: it
 * goes. Before that, the trailing seconds in which requests fell under half the stretch's median go too: the
 * scenario sends no request past the final ramp-down's start, while k6 still counts its VUs until they finish
 * (measured: a 100-VU top level's last two seconds held 11 and 0 requests against about 100, which read its
 * throughput 18 % low in a 10-s window).
 */
function plateauEnd(timeline: readonly TimelinePoint[], from: number, to: number): number {
  const at = new Map(timeline.filter((p) => p.t >= from && p.t <= to).map((p) => [p.t, p.requests]));
  const sorted = [...at.values()].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  let end = to;
  while (end > from && (at.get(end) ?? 0) < median / 2) end--;
  return end - 1;
}

/**
 * Each level's steady window from the run's per-second timeline: the longest stretch of consecutive seconds at
 * exactly the level's VU count, less its last second and any trailing seconds the run had stopped sending in
 * (plateauEnd), and a settling margin at its start (at most a quarter of the stretch, or up to two thirds
 * of it while the stack warms up: warmupEnd); null when a level was never held for 2 seconds (the run was cut short
 * before it). `adaptive: false` keeps the fixed settle: a run its live gate judged from that second on.
 */
export function steadyWindows(
  timeline: readonly TimelinePoint[], vusPerLevel: readonly number[], { settleS = SETTLE_S, adaptive = true } = {},
): (SteadyWindow | null)[] {
  return vusPerLevel.map((v) => {
    let best: [number, number] | null = null;
    let start: number | null = null;
    for (let i = 0; i <= timeline.length; i++) {
      const p = timeline[i];
      const prev = timeline[i - 1];
      const at = p !== undefined && p.vus === v && (start === null || (prev !== undefined && p.t === prev.t + 1));
      if (at && start === null) start = p.t;
      if (!at && start !== null) {
        const end = prev!.t;
        if (!best || end - start > best[1] - best[0]) best = [start, end];
        start = p !== undefined && p.vus === v ? p.t : null;
      }
    }
    if (!best) return null;
    const from = best[0];
    const to = plateauEnd(timeline, from, best[1]);
    const held = to - from + 1;
    if (held < 2) return null;
    const found = adaptive
      ? warmupEnd(timeline.filter((p) => p.t >= from && p.t <= to).map((p) => (p.requests > 0 ? p.p95Ms : null)), settleS)
      : { startS: fixedSettleS(held, settleS) };
    return { startMs: (from + found.startS) * 1000, endMs: (to + 1) * 1000, ...(found.warmup ? { warmup: found.warmup } : {}) };
  });
}
