// The sequential gate's lines under the verdict table (when the gating criteria were decided, and for each
// undecided one what it needs), and `gate plan`'s table. Pure: data => string.

import { criterionName } from '../format.js';
import type { CriterionResult, Verdict } from '../schema.js';
import type { Plan } from './plan.js';

function needText(c: CriterionResult): string {
  if (!c.needs) return 'cannot be decided while its share sits on the target';
  if (c.needs.moreRequests === 0 && c.needs.moreSeconds !== null) return `needs ≈ ${duration(c.needs.moreSeconds)} more run (its overdispersion is not measured yet)`;
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
    ? `sequential: ${gating.some((c) => c.decision === 'fail') ? 'FAIL' : 'PASS'} decided at ${q.decidedAtS} s (sequence from ${q.fromS} s, the end of the ramp; ${q.seconds} s judged; α ${q.alpha * 100} %)`
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

/** `gate plan`'s table: per criterion, the expected share, the rate, and the time to a decision against the
 *  profile's steady duration. */
export function renderPlan(plan: Plan, o: { profile: string; scale: number; users: number; steadyS: number; baseline: string }): string {
  const pct = (x: number) => `${Number((x * 100).toPrecision(3))} %`;
  const rows = [['criterion', 'expected share', 'target share', 'req/s', 'requests to decide', 'time to decide', `within ${duration(o.steadyS)}`]];
  for (const r of plan.rows) {
    const c = r.criterion;
    rows.push([
      `${c.id}${c.gating ? '' : ' (advisory)'}`, pct(r.expectedShare), `${c.passWhen === 'below' ? '<' : '>'} ${pct(c.share)}`, r.requestsPerS.toFixed(1),
      r.requests === null ? 'never (on the target)' : r.requests.toLocaleString('en-US'),
      r.seconds === null ? '—' : duration(r.seconds),
      r.seconds !== null && r.seconds <= o.steadyS ? 'yes' : 'no',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const table = rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd()).join('\n');
  const gating = plan.rows.filter((r) => r.criterion.gating);
  const longest = Math.max(0, ...gating.map((r) => r.seconds ?? Infinity));
  return [
    `gate plan: ${o.profile} ×${o.scale} (${o.users} users) from ${o.baseline} (rates × ${plan.usersFactor.toFixed(2)}): ` +
      (gating.length === 0 ? 'no gating criterion' : Number.isFinite(longest) ? `every gating criterion decided after ≈ ${duration(longest)} of steady load` : 'a gating criterion sits on its target and cannot be decided'),
    '(times assume independent requests: slow spells and error bursts lengthen them)',
    '',
    table,
  ].join('\n') + '\n';
}
