// The verdict as a report shows it: status, why, and one row per criterion (target, measured value, interval).
// The gate's verdict@1 is adapted here, in one place, so templates never depend on the gate's schema.

import { criterionName, describeResult, formatCi, formatValue } from '../gate/format.js';
import type { CriterionResult, SequenceSeries, Verdict } from '../gate/schema.js';
import type { TargetLine } from './run-charts.js';

/**
 * The report's five states. The gate's "warn" (failed the pass tier, met the warn tier) and a pass whose interval
 * straddles a target both read as "marginal": fine by the point estimate, not proven.
 */
export type VerdictStatus = 'pass' | 'fail' | 'marginal' | 'inconclusive' | 'not-judged';

export interface CriterionRow {
  criterion: string;
  target: string;
  measured: string;
  /** 95 % interval of the measured value, "—" when the gate gave none. */
  interval: string;
  status: VerdictStatus;
  note: string;
}

export interface VerdictView {
  status: VerdictStatus;
  /** One line: what the verdict is. */
  headline: string;
  /** Why, in plain words (failed criteria, marginal ones, what made it inconclusive). */
  reasons: string[];
  criteria: CriterionRow[];
  /** The same rows split: the overall group, shown in full … */
  overallCriteria: CriterionRow[];
  /** … and the per-endpoint ones, folded away in HTML (a real run has dozens) unless one failed. */
  endpointCriteria: CriterionRow[];
  /** "24 per-endpoint criteria: 20 pass, 4 inconclusive". */
  endpointSummary: string;
  endpointFailed: boolean;
  /** Latency targets to draw on charts. */
  targets: TargetLine[];
  /** The sequential gate's confidence sequences of the gating criteria, when it judged the run. */
  sequence?: SequenceSeries[];
  /** Where the verdict came from: "verdict.json", "judged now with thresholds.json", … */
  source: string;
}

export const STATUS_LABEL: Record<VerdictStatus, string> = {
  pass: 'PASS', fail: 'FAIL', marginal: 'MARGINAL', inconclusive: 'INCONCLUSIVE', 'not-judged': 'NOT JUDGED',
};

export function notJudged(why = 'no verdict.json in the run directory and no thresholds.json to judge it with'): VerdictView {
  return {
    status: 'not-judged',
    headline: 'This run was not judged against targets.',
    reasons: [`Not judged: ${why}. Run \`conecta-load gate <run-dir>\` to judge it.`],
    criteria: [],
    overallCriteria: [],
    endpointCriteria: [],
    endpointSummary: '',
    endpointFailed: false,
    targets: [],
    source: 'none',
  };
}

function rowStatus(c: CriterionResult): VerdictStatus {
  if (c.status === 'fail') return 'fail';
  if (c.status === 'inconclusive') return 'inconclusive';
  return c.status === 'warn' || c.marginal ? 'marginal' : 'pass';
}

function note(c: CriterionResult): string {
  const parts: string[] = [];
  if (c.status === 'warn') parts.push('within the warn tier only');
  if (c.marginal) parts.push('interval straddles the target');
  if (c.test) {
    const shift = c.test.relativeShift !== undefined ? `shift ${(c.test.relativeShift * 100).toFixed(1)} %, ` : '';
    parts.push(`${shift}p = ${c.test.p.toPrecision(2)} (α ${c.test.alpha.toPrecision(2)})`);
  }
  if (c.note) parts.push(c.note);
  return parts.join('; ');
}

/** Overall latency targets ("< 300 ms" on p95) as lines to draw. */
function targetLines(v: Verdict): TargetLine[] {
  const out: TargetLine[] = [];
  for (const c of v.criteria) {
    if (c.group !== 'overall' || c.kind !== 'target' || c.unit !== 'ms') continue;
    const m = /^[<>]=?\s*([\d.]+)\s*ms$/.exec(c.target.trim());
    if (m) out.push({ label: `${c.metric.toUpperCase()} target ${c.target}`, ms: Number(m[1]) });
  }
  return out;
}

/** "Inconclusive: 12 per-endpoint criteria (GET /a, GET /b, …), e.g. 5 requests, fewer than the 100 needed." */
function grouped(cs: readonly CriterionResult[], what: 'inconclusive' | 'marginal'): string[] {
  if (cs.length === 0) return [];
  const groups = [...new Set(cs.map((c) => c.group))];
  const names = groups.length > 3 ? `${groups.slice(0, 3).join(', ')}, …` : groups.join(', ');
  const example = cs.find((c) => c.note)?.note;
  const label = what === 'inconclusive' ? 'Inconclusive' : 'Marginal';
  return [`${label}: ${cs.length} per-endpoint criteri${cs.length === 1 ? 'on' : 'a'} on ${groups.length} endpoint${groups.length === 1 ? '' : 's'} (${names})${example ? `, e.g. ${example}` : ''}.`];
}

/** Reasons listed under the verdict before the rest are left to the thresholds table. */
export const MAX_REASONS = 8;

/** The gate's verdict@1 as the report shows it. */
export function verdictView(v: Verdict, source: string): VerdictView {
  const marginal = v.criteria.filter((c) => c.marginal || c.status === 'warn');
  const status: VerdictStatus =
    v.verdict === 'fail' ? 'fail' : v.verdict === 'inconclusive' ? 'inconclusive' : marginal.length > 0 ? 'marginal' : 'pass';
  const n = v.criteria.length;
  const headline = {
    pass: `All ${n} criteria passed.`,
    fail: `${v.counts.fail} of ${n} criteria failed.`,
    marginal: `Passed, but ${marginal.length} of ${n} criteria are marginal or only met their warn tier.`,
    inconclusive: 'Inconclusive: the run cannot prove or refute the targets.',
    'not-judged': '',
  }[status];
  const isOverall = (c: CriterionResult) => c.group === 'overall';
  const inconclusive = v.criteria.filter((c) => c.status === 'inconclusive');
  const soft = marginal.filter((c) => c.status !== 'fail');
  const reasons = [
    ...v.criteria.filter((c) => c.status === 'fail').map((c) => `${describeResult(c)}.`),
    // Whole-run reasons (incomplete run, no data) before per-criterion detail.
    ...v.reasons.map((r) => r.charAt(0).toUpperCase() + r.slice(1) + (r.endsWith('.') ? '' : '.')),
    ...inconclusive.filter(isOverall).map((c) => `Inconclusive: ${criterionName(c)}${c.note ? `: ${c.note}` : ''}.`),
    // Per-endpoint inconclusive and marginal rows are many and alike (small groups): one line each, detail in the table.
    ...grouped(inconclusive.filter((c) => !isOverall(c)), 'inconclusive'),
    ...soft.filter(isOverall).map((c) =>
      `Marginal: ${criterionName(c)} ${c.measured === null ? '' : formatValue(c.measured, c.unit)} (95 % CI ${formatCi(c.ci, c.unit)}), target ${c.target}${c.status === 'warn' ? ' — met only the warn tier' : ''}.`),
    ...grouped(soft.filter((c) => !isOverall(c)), 'marginal'),
  ];
  // A long list buries the verdict: failures come first, the rest are in the thresholds table.
  const shown = reasons.length > MAX_REASONS
    ? [...reasons.slice(0, MAX_REASONS - 1), `… and ${reasons.length - MAX_REASONS + 1} more: see the thresholds table.`]
    : reasons;
  const rows = v.criteria.map((c) => ({
    criterion: criterionName(c),
    target: c.target,
    measured: c.measured === null ? '—' : formatValue(c.measured, c.unit),
    interval: formatCi(c.ci, c.unit),
    status: rowStatus(c),
    note: note(c),
  }));
  const endpointRows = rows.filter((_, i) => v.criteria[i]!.group !== 'overall');
  const tally = (['fail', 'marginal', 'inconclusive', 'pass'] as const)
    .map((s) => [s, endpointRows.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return {
    status,
    headline,
    reasons: shown,
    criteria: rows,
    overallCriteria: rows.filter((_, i) => v.criteria[i]!.group === 'overall'),
    endpointCriteria: endpointRows,
    endpointSummary: endpointRows.length ? `${endpointRows.length} per-endpoint criteria: ${tally.join(', ')}` : '',
    endpointFailed: endpointRows.some((r) => r.status === 'fail'),
    targets: targetLines(v),
    ...(v.sequential ? { sequence: v.sequential.series } : {}),
    source: v.baseline ? `${source}; compared with the baseline run of ${v.baseline.startedAt}` : source,
  };
}
