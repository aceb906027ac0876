// The `history` listing: one line per judged run with its key figures. Pure: (index, filter) => string.

import { formatMs, formatRatio } from '../gate/format.js';
import type { HistoryIndex } from './schema.js';
import type { HistoryChange } from './series.js';

export interface HistoryFilter {
  readonly scenario?: string;
  readonly profile?: string;
  readonly limit?: number;
}

export function renderHistory(h: HistoryIndex, f: HistoryFilter = {}): string {
  const runs = h.runs
    .filter((r) => (!f.scenario || r.scenario === f.scenario) && (!f.profile || r.profile === f.profile))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .slice(-(f.limit ?? 20));
  if (runs.length === 0) return 'no judged runs yet (conecta-load gate <run-dir> records them)\n';
  const rows = [['started', 'scenario', 'profile', 'verdict', 'requests', 'p95', 'p99', 'errors', 'req/s', 'run']];
  for (const r of runs) {
    rows.push([
      r.startedAt.replace(/\.\d+Z$/, 'Z'), r.scenario, r.profile, r.verdict, String(r.requests), formatMs(r.p95Ms), formatMs(r.p99Ms),
      formatRatio(r.errorRate), r.throughputRps.toFixed(1), r.dirs.join(' + '),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** `history --changes`: one line per change point (run, commit, time, series, before → after, change, p). */
export function renderChanges(cs: readonly HistoryChange[], detector: string): string {
  const head = `change points (${detector})\n`;
  if (cs.length === 0) return head + 'none: every series is one stable segment\n';
  const value = (c: HistoryChange, x: number) => (c.metric === 'errorRate' ? formatRatio(x) : c.metric === 'throughput' ? `${x.toFixed(1)} req/s` : formatMs(x));
  const rows = [['run', 'started', 'commit', 'series', 'before → after', 'change', 'p']];
  for (const c of cs) {
    rows.push([
      `#${c.run} ${c.runId}`, c.startedAt.replace(/\.\d+Z$/, 'Z'), c.gitSha ? c.gitSha.slice(0, 10) : '—', `${c.endpoint} ${c.metric}`,
      `${value(c, c.before)} → ${value(c, c.after)}`, c.change === null ? 'new' : `${c.change >= 0 ? '+' : ''}${formatRatio(c.change)}`,
      c.pValue.toPrecision(2),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return head + rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
