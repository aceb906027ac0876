// Series of one key figure (P95, P99, error rate, throughput) of one group (overall or an endpoint) over the
// judged runs of the history, oldest first, and the change points found in them. Pure.

import { basename } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { getOwn } from '../own-keys.js';
import { changePoints, DEFAULT_DETECTOR, type DetectorOptions } from './changepoints.js';
import type { HistoryEntry, HistoryIndex } from './schema.js';

export const HISTORY_METRICS = ['p95', 'p99', 'errorRate', 'throughput'] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];
export const OVERALL_GROUP = 'overall';

export interface SeriesPoint {
  /** 1-based position of the run in the whole history (sorted by start time). */
  readonly run: number;
  readonly entry: HistoryEntry;
  readonly value: number;
}

/** The history's runs by start time (stable for equal times): position i is run i + 1. */
export function sortedRuns(h: HistoryIndex): HistoryEntry[] {
  return [...h.runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export function runIdOf(e: HistoryEntry): string {
  return basename(e.dirs[0]!);
}

/** One figure of one group in an entry; undefined when that entry did not record it. */
export function figureOf(e: HistoryEntry, group: string, metric: HistoryMetric): number | undefined {
  const f = group === OVERALL_GROUP ? e : getOwn(e.endpoints, group);
  if (!f) return undefined;
  return metric === 'p95' ? f.p95Ms : metric === 'p99' ? f.p99Ms : metric === 'errorRate' ? f.errorRate : f.throughputRps;
}

/** The points of one series over `runs` (positions from `runs`, which are the sorted history or part of it). */
export function seriesOf(runs: readonly { run: number; entry: HistoryEntry }[], group: string, metric: HistoryMetric): SeriesPoint[] {
  return runs.flatMap(({ run, entry }) => {
    const value = figureOf(entry, group, metric);
    return value === undefined || !Number.isFinite(value) ? [] : [{ run, entry, value }];
  });
}

export interface HistoryChange {
  readonly run: number;
  readonly runId: string;
  readonly scenario: string;
  readonly profile: string;
  readonly metric: HistoryMetric;
  readonly endpoint: string;
  readonly startedAt: string;
  readonly gitSha: string;
  readonly before: number;
  readonly after: number;
  readonly change: number | null;
  readonly pValue: number;
}

export interface ChangesFilter {
  readonly scenario?: string;
  readonly profile?: string;
  readonly metric?: HistoryMetric;
  /** "overall" or an endpoint's name; default: overall and every endpoint. */
  readonly endpoint?: string;
}

/** Change points of every series of the history (each scenario and profile apart), by run then series. */
export function historyChanges(h: HistoryIndex, f: ChangesFilter = {}, o: DetectorOptions = DEFAULT_DETECTOR): HistoryChange[] {
  const all = sortedRuns(h).map((entry, i) => ({ run: i + 1, entry }));
  const keys = [...new Set(all.map((r) => `${r.entry.scenario}\n${r.entry.profile}`))];
  // An endpoint no run has would be "stable" for want of points: say it is not there.
  if (f.endpoint !== undefined && f.endpoint !== OVERALL_GROUP && !all.some((r) => r.entry.endpoints !== undefined && Object.hasOwn(r.entry.endpoints, f.endpoint!))) {
    throw new ConectaError(`no endpoint "${f.endpoint}" in any run of the history`, ExitCode.USAGE, `"${OVERALL_GROUP}" is the run as a whole`);
  }
  const out: HistoryChange[] = [];
  for (const key of keys) {
    const [scenario, profile] = key.split('\n') as [string, string];
    if ((f.scenario && f.scenario !== scenario) || (f.profile && f.profile !== profile)) continue;
    const runs = all.filter((r) => r.entry.scenario === scenario && r.entry.profile === profile);
    const groups = f.endpoint ? [f.endpoint] : [OVERALL_GROUP, ...new Set(runs.flatMap((r) => Object.keys(r.entry.endpoints ?? {})).sort())];
    for (const group of groups) {
      for (const metric of f.metric ? [f.metric] : HISTORY_METRICS) {
        const pts = seriesOf(runs, group, metric);
        for (const c of changePoints(pts.map((p) => p.value), o)) {
          const p = pts[c.index]!;
          out.push({
            run: p.run, runId: runIdOf(p.entry), scenario, profile, metric, endpoint: group, startedAt: p.entry.startedAt,
            gitSha: p.entry.gitSha, before: c.before, after: c.after, change: c.change, pValue: c.pValue,
          });
        }
      }
    }
  }
  return out.sort((a, b) => a.run - b.run);
}

/** `history --changes --json`: exactly the documented shape. */
export function changesJson(cs: readonly HistoryChange[]): { changes: object[] } {
  return {
    changes: cs.map((c) => ({ run: c.run, runId: c.runId, metric: c.metric, endpoint: c.endpoint, before: c.before, after: c.after, change: c.change, pValue: c.pValue })),
  };
}
