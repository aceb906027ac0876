// The history section of a run report and the `history` report: the key figures of the run as a whole over the
// judged runs of one scenario and profile, with their change points. Pure: history index in, view-model out.

import { changePoints, describeDetector, type ChangePoint } from '../history/changepoints.js';
import type { HistoryIndex } from '../history/schema.js';
import { historyChanges, HISTORY_METRICS, OVERALL_GROUP, runIdOf, seriesOf, sortedRuns, type SeriesPoint } from '../history/series.js';
import { fmtMs, fmtPct, fmtRate } from './format.js';
import { historyChart } from './history-charts.js';
import type { ChartDef } from './render-chart.js';

export interface ChangeRow {
  run: string;
  startedAt: string;
  commit: string;
  series: string;
  before: string;
  after: string;
  change: string;
  p: string;
}

export interface HistoryView {
  kind: 'history';
  title: string;
  subtitle: string;
  detector: string;
  /** Chart ids in display order (the charts themselves are in `charts`). */
  chartIds: string[];
  /** Change points of every series (overall and endpoints), newest first. */
  changes: ChangeRow[];
  charts: ChartDef[];
}

const show = (metric: string, x: number) => (metric === 'errorRate' ? fmtPct(x) : metric === 'throughput' ? fmtRate(x) : fmtMs(x));

/** Fewer judged runs than this: no chart (a line of one point says nothing). */
export const MIN_HISTORY_RUNS = 3;

/** The view of one scenario and profile's history; `currentDir` marks a run on the charts. Null when too short. */
export function buildHistoryView(h: HistoryIndex, scenario: string, profile: string, currentDir?: string): HistoryView | null {
  const runs = sortedRuns(h).map((entry, i) => ({ run: i + 1, entry })).filter((r) => r.entry.scenario === scenario && r.entry.profile === profile);
  if (runs.length < MIN_HISTORY_RUNS) return null;
  const current = currentDir ? runs.find((r) => r.entry.dirs.includes(currentDir))?.run : undefined;
  const charts = HISTORY_METRICS.map((m) => {
    const pts: SeriesPoint[] = seriesOf(runs, OVERALL_GROUP, m);
    const cps: ChangePoint[] = changePoints(pts.map((p) => p.value));
    return historyChart(m, pts, cps, current);
  });
  const changes = historyChanges(h, { scenario, profile }).reverse().map((c) => ({
    run: `#${c.run} ${c.runId}`,
    startedAt: c.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
    commit: c.gitSha ? c.gitSha.slice(0, 10) : '—',
    series: `${c.endpoint === OVERALL_GROUP ? 'overall' : c.endpoint} ${c.metric}`,
    before: show(c.metric, c.before),
    after: show(c.metric, c.after),
    change: c.change === null ? 'new' : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)} %`,
    p: c.pValue.toPrecision(2),
  }));
  const first = runs[0]!.entry;
  const last = runs[runs.length - 1]!.entry;
  return {
    kind: 'history',
    title: `Run history: ${scenario} · ${profile}`,
    subtitle: `${runs.length} judged runs, ${first.startedAt.slice(0, 10)} to ${last.startedAt.slice(0, 10)} (newest ${runIdOf(last)})`,
    detector: describeDetector(),
    chartIds: charts.map((c) => c.id),
    changes,
    charts,
  };
}
