// The Universal Scalability Law X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted by bounded nonlinear least squares.
// Pure: points in, coefficients out. Bounds σ, κ ∈ [0, 1], λ ≥ 0 are honoured by solving every "active set"
// (each parameter free or pinned at 0) with a projected Levenberg–Marquardt from several starts and keeping the
// best feasible sum of squares; so a curve whose best κ is 0 gets exactly κ = 0, not a tiny negative or a stall.

import type { UslFit as UslFitRecord } from './schema.js';

export interface UslPoint {
  /** Concurrency N (users, VUs, threads). */
  n: number;
  /** Throughput X at N. */
  x: number;
}

export interface UslCoefficients {
  sigma: number;
  kappa: number;
  lambda: number;
}

export type UslModel = UslFitRecord['model'];

/** A fit as capacity.json records it (lib/capacity/schema.ts declares it once), plus its residual sum of squares. */
export type UslFit = UslFitRecord & { sse: number };

/** Throughput the USL predicts at concurrency n. */
export function uslThroughput(c: UslCoefficients, n: number): number {
  return (c.lambda * n) / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1));
}

/** Response time R = N/X − Z (seconds) the USL implies for a closed system with think time Z; null when X ≤ 0. */
export function uslResponseTime(c: UslCoefficients, n: number, thinkTimeS: number): number | null {
  const x = uslThroughput(c, n);
  if (!(x > 0)) return null;
  const r = n / x - thinkTimeS;
  return r >= 0 ? r : null;
}

export function peakConcurrency(c: UslCoefficients): number | null {
  return c.kappa > 0 ? Math.sqrt((1 - c.sigma) / c.kappa) : null;
}

export function maxThroughput(c: UslCoefficients): number | null {
  const peak = peakConcurrency(c);
  if (peak !== null) return uslThroughput(c, peak);
  return c.sigma > 0 ? c.lambda / c.sigma : null;
}

type Vec3 = [number, number, number];
const LOWER: Vec3 = [0, 0, 0];
const UPPER: Vec3 = [1, 1, Number.POSITIVE_INFINITY];

const clamp = (p: Vec3): Vec3 => p.map((v, i) => Math.min(UPPER[i]!, Math.max(LOWER[i]!, v))) as Vec3;
const coef = (p: Vec3): UslCoefficients => ({ sigma: p[0], kappa: p[1], lambda: p[2] });

function sse(points: readonly UslPoint[], p: Vec3): number {
  let s = 0;
  for (const { n, x } of points) {
    const r = x - uslThroughput(coef(p), n);
    s += r * r;
  }
  return s;
}

/** Solves A·x = b (small dense system) by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    if (Math.abs(A[piv]![col]!) < 1e-300) return null;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    for (let r = col + 1; r < m; r++) {
      const f = A[r]![col]! / A[col]![col]!;
      for (let c = col; c <= m; c++) A[r]![c]! -= f * A[col]![c]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = A[r]![m]!;
    for (let c = r + 1; c < m; c++) s -= A[r]![c]! * x[c]!;
    x[r] = s / A[r]![r]!;
  }
  return x.every(Number.isFinite) ? x : null;
}

/** Projected Levenberg–Marquardt over the free parameters (indices in `free`), the others held where they are. */
function levenbergMarquardt(points: readonly UslPoint[], start: Vec3, free: readonly number[]): { p: Vec3; sse: number } {
  let p = clamp(start);
  let cur = sse(points, p);
  let mu = 1e-3;
  for (let iter = 0; iter < 2000 && free.length > 0; iter++) {
    // Jacobian of the model (not the residual): r = x − f, so the normal equations use +Jᵀr.
    const JtJ = free.map(() => free.map(() => 0));
    const Jtr = free.map(() => 0);
    const [s, k, l] = p;
    for (const { n, x } of points) {
      const d = 1 + s * (n - 1) + k * n * (n - 1);
      const f = (l * n) / d;
      const full = [(-l * n * (n - 1)) / (d * d), (-l * n * n * (n - 1)) / (d * d), n / d];
      const g = free.map((i) => full[i]!);
      const r = x - f;
      for (let a = 0; a < g.length; a++) {
        Jtr[a]! += g[a]! * r;
        for (let b = 0; b < g.length; b++) JtJ[a]![b]! += g[a]! * g[b]!;
      }
    }
    let accepted = false;
    while (mu < 1e20) {
      // Marquardt's scaling by diag(JᵀJ) makes the step invariant to the very different sizes of κ and λ.
      const damped = JtJ.map((row, a) => row.map((v, b) => (a === b ? v + mu * Math.max(v, 1e-30) : v)));
      const delta = solve(damped, Jtr);
      if (delta) {
        const next = [...p] as Vec3;
        free.forEach((i, a) => (next[i] = p[i]! + delta[a]!));
        const q = clamp(next);
        const val = sse(points, q);
        if (val <= cur) {
          const gain = cur - val;
          const moved = free.some((i) => Math.abs(q[i]! - p[i]!) > 1e-15 * Math.max(1, Math.abs(p[i]!)));
          p = q;
          mu = Math.max(mu / 3, 1e-12);
          accepted = true;
          if (!moved || gain <= 1e-15 * Math.max(cur, 1e-300)) {
            cur = val;
            return { p, sse: cur };
          }
          cur = val;
          break;
        }
      }
      mu *= 4;
    }
    if (!accepted) break;
  }
  return { p, sse: cur };
}

/** Least squares for y = σ·a + κ·b (no intercept) given λ: the linearised USL λN/X − 1 = σ(N−1) + κN(N−1). */
function linearisedStart(points: readonly UslPoint[], lambda: number): Vec3 {
  let aa = 0, ab = 0, bb = 0, ay = 0, by = 0;
  for (const { n, x } of points) {
    if (!(x > 0)) continue;
    const y = (lambda * n) / x - 1;
    const a = n - 1, b = n * (n - 1);
    aa += a * a; ab += a * b; bb += b * b; ay += a * y; by += b * y;
  }
  const det = aa * bb - ab * ab;
  const sigma = Math.abs(det) > 1e-300 ? (ay * bb - by * ab) / det : aa > 0 ? ay / aa : 0;
  const kappa = Math.abs(det) > 1e-300 ? (by * aa - ay * ab) / det : 0;
  return clamp([sigma, kappa, lambda]);
}

function rSquared(points: readonly UslPoint[], residual: number): number {
  const mean = points.reduce((s, p) => s + p.x, 0) / points.length;
  const sst = points.reduce((s, p) => s + (p.x - mean) ** 2, 0);
  return sst > 0 ? 1 - residual / sst : residual === 0 ? 1 : 0;
}

/** Best fit over the given active sets, each from several starts. */
function bestFit(points: readonly UslPoint[], activeSets: readonly (readonly number[])[]): { p: Vec3; sse: number } {
  const perUser = points.filter((q) => q.n > 0).map((q) => q.x / q.n);
  const first = [...points].sort((a, b) => a.n - b.n)[0]!;
  const lambdas = [first.x / first.n, Math.max(...perUser)].flatMap((l) => [l, l * 1.2, l * 2, l * 5]);
  let best: { p: Vec3; sse: number } | null = null;
  for (const free of activeSets) {
    for (const l of lambdas) {
      let start = linearisedStart(points, l);
      start = [free.includes(0) ? start[0] : 0, free.includes(1) ? start[1] : 0, start[2]];
      for (const s of [start, [start[0] || 0.01, start[1] || 1e-6, start[2]] as Vec3]) {
        const fit = levenbergMarquardt(points, [free.includes(0) ? s[0] : 0, free.includes(1) ? s[1] : 0, s[2]], free);
        if (!best || fit.sse < best.sse * (1 - 1e-12)) best = fit;
      }
    }
  }
  return best!;
}

/**
 * Fits the USL to measured points. With fewer than 3 distinct concurrencies a 3-parameter fit is not identifiable:
 * 2 levels fit Amdahl's law (κ = 0), 1 level a line through the origin; the note says so.
 */
export function fitUsl(input: readonly UslPoint[]): UslFit {
  const points = input.filter((p) => Number.isFinite(p.n) && Number.isFinite(p.x) && p.n > 0 && p.x >= 0);
  const distinct = new Set(points.map((p) => p.n)).size;
  const result = (model: UslModel, p: Vec3, s: number, note: string | null): UslFit => {
    const c = coef(p);
    return {
      model, ...c, peakConcurrency: peakConcurrency(c), maxThroughput: maxThroughput(c),
      rSquared: rSquared(points, s), sse: s, points: points.length, note,
    };
  };
  if (points.length === 0 || points.every((p) => p.x === 0)) {
    return { model: 'none', sigma: 0, kappa: 0, lambda: 0, peakConcurrency: null, maxThroughput: null, rSquared: 0, sse: 0, points: points.length, note: 'no level with throughput: nothing to fit' };
  }
  if (distinct === 1) {
    // λ = Σ N·X / Σ N² is the least-squares line through the origin.
    const lambda = points.reduce((s, p) => s + p.n * p.x, 0) / points.reduce((s, p) => s + p.n * p.n, 0);
    const p: Vec3 = [0, 0, lambda];
    return result('linear', p, sse(points, p), 'one load level: only λ (throughput per user) can be estimated; scaling is assumed linear');
  }
  if (distinct === 2) {
    const fit = bestFit(points, [[0, 2], [2]]);
    return result(fit.p[0] > 0 ? 'amdahl' : 'linear', fit.p, fit.sse, 'two load levels: κ fixed at 0 (Amdahl), so no throughput peak can be predicted');
  }
  // All active sets: the bounded optimum lies in the interior of one of them. A set with fewer free parameters
  // wins when it fits as well to rounding (κ = 1e-13 is κ = 0 to any measurement, and says "no peak" wrongly).
  const mean = points.reduce((s, p) => s + p.x, 0) / points.length;
  const tolerance = 1e-10 * points.reduce((s, p) => s + (p.x - mean) ** 2, 0);
  const fits = [[2], [0, 2], [1, 2], [0, 1, 2]].map((set) => bestFit(points, [set]));
  const lowest = Math.min(...fits.map((f) => f.sse));
  const fit = fits.find((f) => f.sse <= lowest + tolerance)!;
  const model: UslModel = fit.p[1] > 0 ? 'usl' : fit.p[0] > 0 ? 'amdahl' : 'linear';
  const notes: string[] = [];
  if (distinct === 3) notes.push('three load levels for three parameters: the fit is exact-or-nearly, R² says little');
  if (model !== 'usl') notes.push(model === 'amdahl' ? 'κ at its bound 0: no retrograde scaling seen, no peak' : 'σ and κ at 0: scaling looked linear over the measured range');
  return result(model, fit.p, fit.sse, notes.length ? notes.join('; ') : null);
}
