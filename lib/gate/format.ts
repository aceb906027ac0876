// Number and target formatting shared by every renderer, so the table, Markdown, JUnit and annotations agree.

import type { Criterion } from '../thresholds/criteria.js';
import type { CriterionResult } from './schema.js';

export type Unit = CriterionResult['unit'];

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '') || '0';
}

export function formatMs(ms: number): string {
  const a = Math.abs(ms);
  return `${a >= 100 ? Math.round(ms).toString() : a >= 10 ? trim(ms, 1) : trim(ms, 2)} ms`;
}

export function formatRatio(r: number): string {
  const pct = r * 100;
  const a = Math.abs(pct);
  // Near 100 % (availability) the digits that matter are the last ones: 99.867 %, not 99.9 %.
  if (a >= 99 && a < 100) return `${trim(Math.floor(pct * 1000) / 1000, 3)} %`;
  return `${a === 0 ? '0' : a >= 10 ? trim(pct, 1) : a >= 1 ? trim(pct, 2) : trim(pct, 3)} %`;
}

export function formatValue(v: number, unit: Unit): string {
  if (unit === 'ms') return formatMs(v);
  if (unit === 'ratio') return formatRatio(v);
  if (unit === 'number') return trim(v, Math.abs(v) >= 100 ? 1 : 4);
  return `${trim(v, 1)} req/s`;
}

/** "198 – 231 ms", "≥ 198 ms" (unbounded above), "—" (none). */
export function formatCi(ci: CriterionResult['ci'], unit: Unit): string {
  if (!ci || (ci.low === null && ci.high === null)) return '—';
  if (ci.high === null) return `≥ ${formatValue(ci.low!, unit)}`;
  if (ci.low === null) return `≤ ${formatValue(ci.high, unit)}`;
  const [lo, hi] = [formatValue(ci.low, unit), formatValue(ci.high, unit)];
  const suffix = (s: string) => s.replace(/^[-\d.]+ ?/, '');
  return suffix(lo) === suffix(hi) ? `${lo.slice(0, lo.length - suffix(lo).length).trim()} – ${hi}` : `${lo} – ${hi}`;
}

/** One criterion as a person reads it: "< 300 ms", "<= +10 % vs baseline". */
export function formatCriterion(c: Criterion, unit: Unit): string {
  if (c.kind === 'absolute') return `${c.op} ${formatValue(c.value, unit)}`;
  const sign = c.value >= 0 ? '+' : '−';
  const amount = c.kind === 'relative-percent' ? `${trim(Math.abs(c.value) * 100, 2)} %` : formatValue(Math.abs(c.value), unit);
  return `${c.op} ${sign}${amount} vs baseline`;
}

export function formatStatus(r: Pick<CriterionResult, 'status' | 'marginal'>): string {
  const s = r.status === 'fail' ? 'FAIL' : r.status;
  return r.marginal ? `${s} (marginal)` : s;
}

/** "overall p95", "GET /api/v1/unidades errorRate". */
export function criterionName(r: Pick<CriterionResult, 'group' | 'metric'>): string {
  return `${r.group} ${r.metric}`;
}

/** "p95 412 ms (95 % CI 398 – 431 ms), target < 300 ms": what a failure message says. */
export function describeResult(r: CriterionResult): string {
  const measured = r.measured === null ? 'no data' : formatValue(r.measured, r.unit);
  const ci = r.ci ? ` (95 % CI ${formatCi(r.ci, r.unit)})` : '';
  const note = r.note ? `; ${r.note}` : '';
  return `${criterionName(r)} ${measured}${ci}, target ${r.target}: ${formatStatus(r)}${note}`;
}
