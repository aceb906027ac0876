// The compact table the gate prints: criterion, measured, 95 % CI, target, verdict. Pure: (verdict) => string.

import { criterionName, formatCi, formatStatus, formatValue } from './format.js';
import type { Verdict } from './schema.js';
import { plain, plainLines } from '../text-escape.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n');
}

export function headline(v: Verdict): string {
  const runs = v.runs.length === 1 ? '1 run' : `${v.runs.length} runs merged`;
  const base = v.baseline ? `, baseline ${v.baseline.startedAt}` : '';
  const q = v.sequential;
  // The sequential gate's answer comes with the time it took: what `run --until-decided` stopped on.
  const decided = q && q.decidedAtS !== null ? ` — decided at ${q.decidedAtS} s (${q.series.length} gating criteri${q.series.length === 1 ? 'on' : 'a'})` : '';
  return `gate: ${v.verdict.toUpperCase()}${decided} (exit ${v.exitCode}) · ${plain(v.scenario)} / ${plain(v.profile)} · ${runs}${base} · ${plain(v.thresholdsFile)}`;
}

export function renderText(v: Verdict): string {
  const rows = [['criterion', 'measured', '95 % CI', 'target', 'verdict']];
  for (const c of v.criteria) {
    rows.push([plain(criterionName(c)), c.measured === null ? '—' : formatValue(c.measured, c.unit), formatCi(c.ci, c.unit), c.target, formatStatus(c)]);
  }
  const lines = [headline(v), '', table(rows)];
  const notes = v.criteria.filter((c) => c.note && c.status !== 'pass').map((c) => `  ${plain(criterionName(c))}: ${plain(c.note!)}`);
  if (v.counts.marginal) notes.push(`  ${v.counts.marginal} marginal: the interval straddles the target, the verdict rests on the point estimate`);
  for (const r of v.reasons) notes.push(`  ${plain(r)}`);
  if (notes.length) lines.push('', ...notes);
  // Names from the input were made one-line above; this also keeps any other line from reaching a terminal or the
  // Actions log as an escape sequence or a workflow command.
  return plainLines(lines.join('\n')) + '\n';
}
