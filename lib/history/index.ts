// Pure operations on the run-history index: record a judged run, find the last passing one, list entries.

import type { RunResult } from '../result/schema.js';
import type { Verdict } from '../gate/schema.js';
import { groupsOf, OVERALL } from '../gate/groups.js';
import { measure } from '../gate/objective.js';
import { HISTORY_SCHEMA, type EntryFigures, type HistoryEntry, type HistoryIndex } from './schema.js';

export function emptyHistory(): HistoryIndex {
  return { schema: HISTORY_SCHEMA, runs: [] };
}

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

/** Adds an entry; judging the same directories again replaces their earlier entry. */
export function addEntry(h: HistoryIndex, e: HistoryEntry): HistoryIndex {
  const key = e.dirs.join('\n');
  return { ...h, runs: [...h.runs.filter((r) => r.dirs.join('\n') !== key), e] };
}

/**
 * The most recent (by start time) passing run — pass or warn, both exit 0 — of this scenario and profile, other
 * than the runs being judged. `exists` lets the caller skip runs whose directory was deleted.
 */
export function lastPass(
  h: HistoryIndex,
  scenario: string,
  profile: string,
  exclude: readonly string[],
  exists: (dir: string) => boolean = () => true,
): HistoryEntry | undefined {
  return h.runs
    .filter((r) => r.scenario === scenario && r.profile === profile && (r.verdict === 'pass' || r.verdict === 'warn'))
    .filter((r) => !r.dirs.some((d) => exclude.includes(d)) && r.dirs.every(exists))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .at(-1);
}

/** Keeps the `keep` most recent entries (by start time) of each scenario and profile; order is kept. */
export function pruneHistory(h: HistoryIndex, keep: number): HistoryIndex {
  const bySeries = new Map<string, HistoryEntry[]>();
  for (const r of h.runs) {
    const k = `${r.scenario}\n${r.profile}`;
    bySeries.set(k, [...(bySeries.get(k) ?? []), r]);
  }
  const kept = new Set<HistoryEntry>();
  for (const rs of bySeries.values()) for (const r of [...rs].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-keep)) kept.add(r);
  return { ...h, runs: h.runs.filter((r) => kept.has(r)) };
}
