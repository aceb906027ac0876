// Simple linear regression with prediction intervals (RAM vs users, CPU vs throughput, busy DB connections vs users).
// simple-statistics fits the line; the interval is ŷ ± t(1−α/2, n−2) · s · √(1 + 1/n + (x₀ − x̄)² / Sxx).

import { linearRegression, rSquared as ssRSquared } from 'simple-statistics';
import { studentTQuantile } from '../stats/student-t.js';

export interface LinearFit {
  slope: number;
  intercept: number;
  rSquared: number;
  n: number;
  /** s = √(SSE / (n − 2)): the spread of points about the line. */
  residualSd: number;
  meanX: number;
  sxx: number;
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** Fits y = slope·x + intercept; null with fewer than 3 points or no spread in x (no interval is possible). */
export function fitLinear(xs: readonly number[], ys: readonly number[]): LinearFit | null {
  const n = xs.length;
  if (n !== ys.length || n < 3) return null;
  const meanX = xs.reduce((s, v) => s + v, 0) / n;
  const sxx = xs.reduce((s, v) => s + (v - meanX) ** 2, 0);
  if (!(sxx > 0)) return null;
  const pairs = xs.map((x, i) => [x, ys[i]!]);
  const { m, b } = linearRegression(pairs);
  const sse = pairs.reduce((s, [x, y]) => s + (y! - (m * x! + b)) ** 2, 0);
  const r2 = ssRSquared(pairs, (x) => m * x + b);
  return { slope: m, intercept: b, rSquared: Number.isFinite(r2) ? r2 : 1, n, residualSd: Math.sqrt(sse / (n - 2)), meanX, sxx };
}

/** Prediction interval for one new observation at x₀, two-sided at `confidence` (e.g. 0.9). */
export function predictLinear(fit: LinearFit, x0: number, confidence: number): Interval {
  const value = fit.slope * x0 + fit.intercept;
  const t = studentTQuantile(1 - (1 - confidence) / 2, fit.n - 2);
  const half = t * fit.residualSd * Math.sqrt(1 + 1 / fit.n + (x0 - fit.meanX) ** 2 / fit.sxx);
  return { value, low: value - half, high: value + half };
}
