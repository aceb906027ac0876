// The breaking point (pure analysis): the bracket of levels a ladder measured — the highest held below the lowest
// broken — and the capacity it implies, with an interval that the measurement's own sampling noise widens.

import type { CapacityTargets, Level } from './schema.js';

/** The search's bracket: the lowest level that broke its targets, and the highest that held below it. */
export function bracket(levels: readonly Pick<Level, 'users' | 'verdict'>[]): { held: number | null; broken: number | null } {
  const broken = levels.filter((l) => !l.verdict.steady.withinTargets).map((l) => l.users);
  const b = broken.length ? Math.min(...broken) : null;
  const held = levels.filter((l) => l.verdict.steady.withinTargets && (b === null || l.users < b)).map((l) => l.users);
  return { held: held.length ? Math.max(...held) : null, broken: b };
}

/** z of a two-sided 95 % interval. */
const Z95 = 1.96;

/**
 * A steady window's figures with their sampling noise: the 95 % interval of P95 and P99 from the order statistics
 * of `requests` samples (the quantile's rank moves by z·√(p(1−p)/n), turned into milliseconds with the slope between
 * the neighbouring percentiles the level reports), and the Wilson interval of the error rate.
 */
export function windowNoise(l: Pick<Level, 'requests' | 'latencyMs' | 'errorRate'>): { p95: [number, number]; p99: [number, number]; errorRate: [number, number] } {
  const n = Math.max(1, l.requests);
  const { p50, p95, p99 } = l.latencyMs;
  const d95 = Z95 * Math.sqrt((0.95 * 0.05) / n), d99 = Z95 * Math.sqrt((0.99 * 0.01) / n);
  const upper = (p99 - p95) / 0.04, lower95 = (p95 - p50) / 0.45;
  const e = l.errorRate, z2 = Z95 * Z95;
  const centre = (e + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((e * (1 - e)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return {
    p95: [Math.max(0, p95 - lower95 * d95), p95 + upper * d95],
    p99: [Math.max(0, p99 - upper * d99), p99 + upper * d99],
    errorRate: [Math.max(0, centre - half), Math.min(1, centre + half)],
  };
}

type Judged = Pick<Level, 'users' | 'verdict' | 'requests' | 'latencyMs' | 'errorRate' | 'complete'>;

/** Held even at the pessimistic end of every interval. */
const clearlyHeld = (l: Judged, t: CapacityTargets) => {
  const w = windowNoise(l);
  return l.verdict.steady.withinTargets && w.p95[1] <= t.p95Ms && w.p99[1] <= t.p99Ms && w.errorRate[1] <= t.errorRate;
};
/** Broken even at the optimistic end of some interval. */
const clearlyBroken = (l: Judged, t: CapacityTargets) => {
  const w = windowNoise(l);
  return !l.verdict.steady.withinTargets && (w.p95[0] > t.p95Ms || w.p99[0] > t.p99Ms || w.errorRate[0] > t.errorRate);
};

/** capacity.json's `capacity`: the users held within the targets and the interval the breaking point lies in. */
export interface CapacityFound {
  users: number;
  low: number;
  /** null when no level broke: the capacity is at least `users`, its top not measured. */
  high: number | null;
  note: string;
}

/**
 * The capacity from the measured levels: the highest level held below the first broken one, in an interval that
 * is the search's bracket widened by the noise of the two levels that make it — a held level whose figures could be
 * over a target within their 95 % interval does not bound the capacity from below (the next clearly held level
 * does), and a broken one that could be within them does not bound it from above (the next clearly broken one
 * does). null when no level held.
 */
export function capacityFound(levels: readonly Judged[], t: CapacityTargets): CapacityFound | null {
  const done = levels.filter((l) => l.complete && l.requests > 0).sort((a, b) => a.users - b.users);
  const b = bracket(done);
  if (b.held === null) return null;
  const H = b.held, B = b.broken;
  const heldBelow = done.filter((l) => l.users <= H && clearlyHeld(l, t)).map((l) => l.users);
  const low = heldBelow.length ? Math.max(...heldBelow) : Math.min(...done.map((l) => l.users));
  const aboveHeld = done.filter((l) => l.users > H && l.verdict.steady.withinTargets).map((l) => l.users);
  let high: number | null = null;
  if (B !== null) {
    const brokenAbove = done.filter((l) => l.users >= B && clearlyBroken(l, t)).map((l) => l.users);
    high = Math.max(brokenAbove.length ? Math.min(...brokenAbove) : Math.max(...done.map((l) => l.users)), ...aboveHeld);
  }
  const why: string[] = [];
  why.push(B === null ? `every level held up to ${H} users: no breaking point measured` : `bracket ${H}–${B} users (held, broken)`);
  if (low < H) why.push(`${H} held within the targets but not beyond their sampling noise, so the bound below is ${low}`);
  if (B !== null && high !== B) why.push(`${B} broke the targets but ${aboveHeld.length ? `a higher level held (${Math.max(...aboveHeld)})` : 'not beyond their sampling noise'}, so the bound above is ${high}`);
  return { users: H, low, high, note: why.join('; ') };
}

/** "holds 2,900 users (2,800–3,050)". */
export function capacityLine(c: CapacityFound | null): string {
  if (c === null) return 'no level held the targets: capacity below the lowest level measured';
  const n = (x: number) => x.toLocaleString('en-US');
  return c.high === null ? `holds at least ${n(c.users)} users (no breaking point measured)` : `holds ${n(c.users)} users (${n(c.low)}–${n(c.high)})`;
}
