// The history entry of one judged run: its verdict and key figures, overall and per endpoint. Pure.

import type { RunResult } from '../result/schema.js';
import type { Verdict } from '../gate/schema.js';
import { groupsOf, OVERALL } from '../gate/groups.js';
import { measure } from '../gate/objective.js';
import type { EntryFigures, HistoryEntry } from './schema.js';

/** The entry for a verdict on runs read from `dirs` (absolute); key figures come from the first run's overall. */
export function entryOf(dirs: readonly string[], results: readonly RunResult[], v: Verdict, baselineDir?: string): HistoryEntry {
  const requests = results.reduce((s, r) => s + r.overall.requests, 0);
  const failed = results.reduce((s, r) => s + r.overall.failed, 0);
  const figure = (metric: string) => v.criteria.find((c) => c.group === 'overall' && c.metric === metric)?.measured;
  const first = results[0]!;
  return {
    dirs: [...dirs],
    scenario: v.scenario,
    profile: v.profile,
    startedAt: results.map((r) => r.meta.startedAt).sort()[0]!,
    judgedAt: v.judgedAt,
    verdict: v.verdict,
    exitCode: v.exitCode,
    requests,
    errorRate: requests ? failed / requests : 0,
    p95Ms: figure('p95') ?? first.overall.latencyMs.p95,
    p99Ms: figure('p99') ?? first.overall.latencyMs.p99,
    throughputRps: results.reduce((s, r) => s + r.overall.throughputRps, 0),
    gitSha: first.meta.gitSha,
    ...(baselineDir ? { baseline: baselineDir } : {}),
    endpoints: endpointFigures(results),
  };
}

/** Each endpoint's figures, measured as the gate measures them (histograms merged over the runs). */
function endpointFigures(results: readonly RunResult[]): Record<string, EntryFigures> {
  const out: Record<string, EntryFigures> = {};
  for (const g of groupsOf(results, [])) {
    if (g.name === OVERALL) continue;
    out[g.name] = {
      requests: g.requests,
      errorRate: g.requests ? g.errors / g.requests : 0,
      p95Ms: measure(g, 'p95').value ?? 0,
      p99Ms: measure(g, 'p99').value ?? 0,
      throughputRps: g.throughputRps,
    };
  }
  return out;
}
