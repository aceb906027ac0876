// GitHub Actions workflow commands for the verdict: ::error:: per failed criterion, ::warning:: per warning or
// inconclusive one, so failures show on the run page. Pure: (verdict) => string.

import { criterionName, describeResult } from './format.js';
import type { Verdict } from './schema.js';

/** Workflow-command escaping: data escapes %, CR, LF; property values also ':' and ','. */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function renderAnnotations(v: Verdict): string {
  const lines: string[] = [];
  for (const c of v.criteria) {
    const level = c.status === 'fail' ? 'error' : c.status === 'warn' || c.status === 'inconclusive' ? 'warning' : undefined;
    if (level) lines.push(`::${level} title=${prop(`Load gate: ${criterionName(c)}`)}::${data(describeResult(c))}`);
  }
  for (const r of v.reasons) if (v.verdict !== 'pass') lines.push(`::warning title=${prop('Load gate')}::${data(r)}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}
