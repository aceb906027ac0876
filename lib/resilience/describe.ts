// One sentence per fault-plan event, as the report and the gate's notes say it (pure):
// "restart of api-2 at 61 s: 14 failed requests over 2 s, recovered in 4 s".

import type { ResilienceEvent } from './schema.js';

function what(e: ResilienceEvent): string {
  const [verb, arg] = [e.action.split(':')[0]!, e.action.slice(e.action.indexOf(':') + 1)];
  switch (e.kind) {
    case 'restart':
      return `restart of ${arg}`;
    case 'kill':
      return `SIGKILL of ${arg}`;
    case 'scale':
      return `scaling to ${arg} instance${arg === '1' ? '' : 's'}`;
    case 'promote-replica':
      return 'promotion of the PostgreSQL replica';
    case 'failover':
      return `${arg} sentinel failover`;
    case 'exec':
      return `exec ${arg}`;
    default:
      return verb;
  }
}

const secs = (n: number) => `${Math.round(n * 10) / 10} s`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** A short name for criteria and chart labels: "#2 restart:api-2 @ 61 s". */
export function eventName(e: ResilienceEvent): string {
  const action = e.action.length > 40 ? `${e.action.slice(0, 39)}…` : e.action;
  return `#${e.index} ${action} @ ${secs(e.atS ?? e.plannedAtS)}`;
}

export function describeEvent(e: ResilienceEvent): string {
  const head = `${what(e)} at ${secs(e.atS ?? e.plannedAtS)}`;
  if (e.outcome === 'skipped') return `${head}: not taken (${e.detail})`;
  const action = e.outcome === 'failed' ? ` (the action failed: ${e.detail})` : '';
  const f = e.figures;
  if (!f) return `${head}${action}: no measurements in its window`;
  const failures = f.failed === 0 ? 'no failed request' : `${plural(f.failed, 'failed request')} over ${f.failedSeconds} s`;
  const recovery = f.recoverS === null ? 'not recovered before the run ended' : f.recoverS === 0 ? 'within targets throughout' : `recovered in ${f.recoverS} s`;
  const latency = f.extraP95Ms !== null && f.extraP95Ms >= 1 ? `, P95 +${Math.round(f.extraP95Ms)} ms` : '';
  return `${head}${action}: ${failures}, ${recovery}${latency}`;
}

const pct = (r: number | null) => (r === null ? '—' : `${(Math.floor(r * 1e5) / 1e3).toFixed(3)} %`);

/** The plain-text lines `run` prints after its summary. */
export function formatResilience(r: { run: { requests: number; failed: number; availability: number | null; longestOutageS: number; errorBudget: { target: number; allowedFailures: number; failures: number } }; events: readonly ResilienceEvent[] }): string {
  const b = r.run.errorBudget;
  return [
    `availability ${pct(r.run.availability)} (${r.run.requests - r.run.failed}/${r.run.requests} requests succeeded, 429s apart); ` +
      `longest outage ${r.run.longestOutageS} s; error budget at ${pct(b.target)}: ${b.failures} failures of ${b.allowedFailures.toFixed(1)} allowed`,
    ...r.events.map((e) => `  ${describeEvent(e)}`),
  ].join('\n');
}
