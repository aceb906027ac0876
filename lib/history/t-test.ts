// Two-sample Student's t-test (pooled variance, two-sided) on run-level figures: the stopping rule of the
// change-point detector and the "does this new run start a change" test of the gate. The t distribution is
// lib/stats/student-t.ts (stdlib's), the one the capacity intervals use too.

import { studentTCdf } from '../stats/student-t.js';

export interface TTestResult {
  readonly meanBefore: number;
  readonly meanAfter: number;
  /** Sample standard deviations (n − 1); 0 for a segment of one run. */
  readonly sdBefore: number;
  readonly sdAfter: number;
  readonly t: number;
  readonly pValue: number;
}

function meanSd(xs: readonly number[], from: number, to: number): { mean: number; ss: number } {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  const mean = s / (to - from);
  let ss = 0;
  for (let i = from; i < to; i++) ss += (xs[i]! - mean) ** 2;
  return { mean, ss };
}

/** Two-sided p-value of |t| with `df` degrees of freedom (lower tail doubled: no cancellation for large t). */
export function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
}

/**
 * Student's t-test of xs[a, b) against xs[b, c) with pooled variance (scipy's ttest_ind_from_stats, equal_var,
 * as Otava uses). Fewer than 3 values in all: p = 1. Zero pooled variance: p = 0 when the means differ, else 1.
 */
export function tTestSplit(xs: readonly number[], a: number, b: number, c: number): TTestResult {
  const n1 = b - a;
  const n2 = c - b;
  if (n1 < 1 || n2 < 1) throw new RangeError(`tTestSplit: empty side [${a}, ${b}) | [${b}, ${c})`);
  const l = meanSd(xs, a, b);
  const r = meanSd(xs, b, c);
  const sdBefore = n1 > 1 ? Math.sqrt(l.ss / (n1 - 1)) : 0;
  const sdAfter = n2 > 1 ? Math.sqrt(r.ss / (n2 - 1)) : 0;
  const base = { meanBefore: l.mean, meanAfter: r.mean, sdBefore, sdAfter };
  const df = n1 + n2 - 2;
  if (df < 1) return { ...base, t: 0, pValue: 1 };
  const pooled = (l.ss + r.ss) / df;
  const diff = r.mean - l.mean;
  // Relative tolerance: identical figures that differ by rounding only are not a change.
  const scale = Math.max(Math.abs(l.mean), Math.abs(r.mean), 1e-300);
  if (pooled <= (scale * 1e-12) ** 2) {
    const same = Math.abs(diff) <= scale * 1e-12;
    return { ...base, t: same ? 0 : Math.sign(diff) * Infinity, pValue: same ? 1 : 0 };
  }
  const t = diff / Math.sqrt(pooled * (1 / n1 + 1 / n2));
  return { ...base, t, pValue: twoSidedP(t, df) };
}
