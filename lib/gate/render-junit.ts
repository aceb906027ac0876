// The verdict as JUnit XML: one testsuite per group, one testcase per criterion; failures say measured vs target,
// inconclusive criteria are skipped, warnings pass with a note. Pure: (verdict) => string; the XML (escaping,
// counts) is junit-report-builder's.

import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { criterionName, describeResult } from './format.js';
import type { CriterionResult, Verdict } from './schema.js';

// The package is CommonJS (`module.exports = builder`) typed as an ES default export: at run time, under Node and
// vitest alike, the default import is the builder itself.
const root = junitReportBuilder as unknown as Builder;

export function renderJunit(v: Verdict): string {
  const b = root.newBuilder().name(`conecta-load gate ${v.scenario}/${v.profile}: ${v.verdict}`);
  for (const g of [...new Set(v.criteria.map((c) => c.group))]) {
    const suite = b.testSuite().name(g).timestamp(v.judgedAt.replace(/Z$/, '')).time(0);
    for (const c of v.criteria.filter((x: CriterionResult) => x.group === g)) {
      const tc = suite.testCase().className(`conecta-load.gate.${c.group}`).name(`${criterionName(c)} ${c.target}`).time(0);
      const msg = describeResult(c);
      if (c.status === 'fail') tc.failure(msg, c.kind === 'baseline' ? 'BaselineRegression' : 'TargetFailed');
      else if (c.status === 'inconclusive') tc.skipped().standardOutput(msg);
      else if (c.status === 'warn' || c.marginal) tc.standardOutput(msg);
    }
  }
  return b.build() + '\n';
}
