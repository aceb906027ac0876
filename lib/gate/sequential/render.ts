// The sequential gate's lines under the verdict table: when the gating criteria were decided, and for each
// undecided one what it needs. Pure: (verdict) => string.

import { criterionName } from '../format.js';
import type { CriterionResult, Verdict } from '../schema.js';

function needText(c: CriterionResult): string {
  if (!c.needs) return 'cannot be decided while its share sits on the target';
  const time = c.needs.moreSeconds === null ? '' : ` (≈ ${duration(c.needs.moreSeconds)} more at the observed rate)`;
  return `needs ${c.needs.moreRequests.toLocaleString('en-US')} more requests${time}`;
}

function duration(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function renderSequential(v: Verdict): string {
  const q = v.sequential;
  if (!q) return '';
  const gating = v.criteria.filter((c) => c.decision !== undefined && !c.advisory);
  const advisory = v.criteria.filter((c) => c.advisory);
  const head = q.decidedAtS !== null
    ? `sequential: ${gating.some((c) => c.decision === 'fail') ? 'FAIL' : 'PASS'} decided at ${q.decidedAtS} s (sequence from ${q.fromS} s, the end of the ramp; ${q.seconds} s replayed; α ${q.alpha * 100} %)`
    : `sequential: undecided after ${q.seconds} s (sequence from ${q.fromS} s, the end of the ramp; α ${q.alpha * 100} %)`;
  const lines = [head];
  for (const c of gating) {
    lines.push(`  ${criterionName(c)}: ${c.decision === 'undecided' ? `undecided, ${needText(c)}` : `${c.decision} at ${c.decidedAtS} s`}${c.note ? ` (${c.note})` : ''}`);
  }
  if (advisory.length) {
    const n = (d: string) => advisory.filter((c) => c.decision === d).length;
    const longest = advisory.filter((c) => c.needs).sort((a, b) => b.needs!.moreRequests - a.needs!.moreRequests)[0];
    lines.push(
      `  ${advisory.length} advisory endpoint criteria (not "gating" in thresholds.json): ${n('pass')} pass, ${n('fail')} fail, ${n('undecided')} undecided` +
        (longest ? `; the furthest, ${criterionName(longest)}, ${needText(longest)}` : ''),
    );
    if (advisory.some((c) => c.decision === 'undecided' && c.group !== 'overall')) {
      lines.push("  (a stored run's timeline has the whole run's seconds only: its endpoints are decided live, by run --until-decided)");
    }
  }
  return lines.join('\n') + '\n';
}
