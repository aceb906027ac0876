// The verdict as JUnit XML: one testsuite per group, one testcase per criterion; failures say measured vs target,
// inconclusive criteria are skipped, warnings pass with a note. Pure: (verdict) => string.

import { criterionName, describeResult } from './format.js';
import type { CriterionResult, Verdict } from './schema.js';

function esc(s: string): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function testcase(c: CriterionResult): string {
  const open = `    <testcase classname="${esc(`conecta-load.gate.${c.group}`)}" name="${esc(`${criterionName(c)} ${c.target}`)}" time="0">`;
  const msg = esc(describeResult(c));
  switch (c.status) {
    case 'fail':
      return `${open}\n      <failure message="${msg}" type="${c.kind === 'baseline' ? 'BaselineRegression' : 'TargetFailed'}">${msg}</failure>\n    </testcase>`;
    case 'inconclusive':
      return `${open}\n      <skipped message="${msg}"/>\n    </testcase>`;
    case 'warn':
      return `${open}\n      <system-out>${msg}</system-out>\n    </testcase>`;
    case 'pass':
      return c.marginal ? `${open}\n      <system-out>${msg}</system-out>\n    </testcase>` : `${open}</testcase>`;
  }
}

export function renderJunit(v: Verdict): string {
  const groups = [...new Set(v.criteria.map((c) => c.group))];
  const count = (cs: CriterionResult[], s: CriterionResult['status']) => cs.filter((c) => c.status === s).length;
  const suites = groups.map((g) => {
    const cs = v.criteria.filter((c) => c.group === g);
    return [
      `  <testsuite name="${esc(g)}" tests="${cs.length}" failures="${count(cs, 'fail')}" errors="0" skipped="${count(cs, 'inconclusive')}" timestamp="${esc(v.judgedAt.replace(/Z$/, ''))}" time="0">`,
      ...cs.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(`conecta-load gate ${v.scenario}/${v.profile}: ${v.verdict}`)}" tests="${v.criteria.length}" failures="${v.counts.fail}" errors="0" skipped="${v.counts.inconclusive}" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
