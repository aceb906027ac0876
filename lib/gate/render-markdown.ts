// The verdict as GitHub-flavoured Markdown, for $GITHUB_STEP_SUMMARY and PR comments. Pure: (verdict) => string.

import { criterionName, formatCi, formatStatus, formatValue } from './format.js';
import type { Status, Verdict } from './schema.js';
import { mdCode, mdText } from '../text-escape.js';

const ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', inconclusive: '❔' };

/** Input text in a cell or a sentence: no raw HTML, no pipe or line break (lib/text-escape.ts). */
const cell = mdText;

export function renderMarkdown(v: Verdict): string {
  const lines = [
    `### ${ICON[v.verdict]} Load gate: ${v.verdict.toUpperCase()} (exit ${v.exitCode})`,
    '',
    `Scenario ${mdCode(v.scenario)}, profile ${mdCode(v.profile)}, ${v.runs.length} run(s), ${v.runs.reduce((s, r) => s + r.requests, 0)} requests` +
      (v.baseline ? `; baseline from ${cell(v.baseline.startedAt)}` : '') + `; targets from ${mdCode(v.thresholdsFile)}.`,
    '',
    '| criterion | measured | 95 % CI | target | verdict |',
    '|---|---:|---:|---|---|',
  ];
  for (const c of v.criteria) {
    const measured = c.measured === null ? '—' : formatValue(c.measured, c.unit);
    lines.push(`| ${cell(criterionName(c))} | ${measured} | ${cell(formatCi(c.ci, c.unit))} | ${cell(c.target)} | ${ICON[c.status]} ${formatStatus(c)} |`);
  }
  const notes = [
    ...v.criteria.filter((c) => c.note && c.status !== 'pass').map((c) => `**${cell(criterionName(c))}**: ${cell(c.note!)}`),
    ...v.reasons.map(cell),
  ];
  if (v.counts.marginal) notes.push(`${v.counts.marginal} marginal criteria: the interval straddles the target.`);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}
