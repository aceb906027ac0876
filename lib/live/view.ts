// The live page's view-model: what the page shows, computed from the live state in Node (pure, unit-tested), so the
// page itself only puts strings where they go. Figures are the last closed second's; charts span the kept seconds.

import { fmtInt, fmtMs, fmtPct, sig } from '../report/format.js';
import type { RunResult } from '../result/schema.js';
import type { LiveState } from './state.js';
import { lineChartSvg, niceMax, type ChartSeries } from './svg.js';

export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 150;

export interface LiveFigure {
  /** Stable key the page finds its element by. */
  readonly id: 'second' | 'rps' | 'p50' | 'p95' | 'p99' | 'errors' | 'vus' | 'requests' | 'merged-p95';
  readonly label: string;
  readonly value: string;
}

export interface LiveGateRow {
  readonly id: string;
  /** "PASS at 42 s", "FAIL at 12 s", "undecided". */
  readonly decision: string;
  /** "1.20 %–4.80 % (limit below 5 %)". */
  readonly bounds: string;
}

export interface LiveView {
  readonly title: string;
  readonly status: 'waiting' | 'running' | 'ended';
  readonly figures: readonly LiveFigure[];
  readonly charts: readonly { readonly id: string; readonly title: string; readonly svg: string }[];
  readonly gate: readonly LiveGateRow[];
  readonly faults: readonly string[];
  /** The PromQL behind the merged P95 figure, shown under it. */
  readonly mergedQuery?: string;
  readonly end?: { readonly summary: string; readonly links: readonly { readonly label: string; readonly href: string }[] };
}

/** A file path as a file: URL (the page can only link to the record; the server stops with the run). */
export function fileUrl(path: string): string {
  return 'file://' + path.split('/').map(encodeURIComponent).join('/');
}

const pct = (x: number) => `${sig(x * 100)} %`;

export function liveView(s: LiveState): LiveView {
  const last = s.seconds.at(-1);
  // Time runs from the first closed second (a fault before any is placed from its own start).
  const t0 = s.t0 ?? (s.faults[0] ? Math.floor(s.faults[0].startedAtMs / 1000) : 0);
  const at = (t: number) => t - t0;
  const figures: LiveFigure[] = last
    ? [
      { id: 'second', label: 'second', value: `${at(last.t)} s` },
      { id: 'rps', label: 'requests/s', value: fmtInt(last.requests) },
      { id: 'p50', label: 'P50', value: fmtMs(last.p50Ms) },
      { id: 'p95', label: 'P95', value: fmtMs(last.p95Ms) },
      { id: 'p99', label: 'P99', value: fmtMs(last.p99Ms) },
      { id: 'errors', label: 'errors', value: last.requests > 0 ? fmtPct(last.failed / last.requests) : '0 %' },
      { id: 'vus', label: 'VUs', value: fmtInt(last.vus) },
      { id: 'requests', label: 'requests so far', value: `${fmtInt(s.requests)} (${fmtInt(s.failed)} failed)` },
    ]
    : [];
  if (s.merged) figures.push({ id: 'merged-p95', label: 'P95, all runners (Prometheus)', value: fmtMs(s.merged.p95Ms) });
  const marks = s.faults.map((f) => ({ x: f.startedAtMs / 1000 - t0, label: `#${f.index} ${f.action}: ${f.outcome}` }));
  const series = (name: string, color: string, y: (x: LiveState['seconds'][number]) => number): ChartSeries =>
    ({ name, color, points: s.seconds.map((x) => [at(x.t), y(x)] as const) });
  const chart = (id: string, title: string, unit: string, lines: ChartSeries[], yMax?: number) =>
    ({ id, title, svg: lineChartSvg({ title, width: CHART_WIDTH, height: CHART_HEIGHT, series: lines, unit, marks, ...(yMax !== undefined ? { yMax } : {}) }) });
  const charts = s.seconds.length === 0 ? [] : [
    chart('throughput', 'Requests per second', 'req/s', [series('requests', '#1f77b4', (x) => x.requests), series('failed', '#d62728', (x) => x.failed)]),
    chart('latency', 'Latency per second', 'ms', [series('P50', '#2ca02c', (x) => x.p50Ms), series('P95', '#ff7f0e', (x) => x.p95Ms), series('P99', '#9467bd', (x) => x.p99Ms)]),
    chart('vus', 'Virtual users', 'VUs', [series('VUs', '#555', (x) => x.vus)]),
  ];
  for (const c of s.gate ?? []) {
    const b = s.gateBounds?.[c.id] ?? [];
    if (b.length === 0) continue;
    const pts = (y: (p: (typeof b)[number]) => number) => b.map((p) => [at(p.t), y(p)] as const);
    charts.push(chart(`gate-${c.id}`, `Gate: ${c.id}`, 'share', [
      { name: 'upper', color: '#1f77b4', points: pts((p) => p.upper) },
      { name: 'lower', color: '#2ca02c', points: pts((p) => p.lower) },
      { name: 'limit', color: '#d62728', points: pts(() => c.share), dashed: true },
      // Four times the limit's share: the bounds closing in on it stay readable (a wide start is drawn at the top).
    ], Math.min(1, niceMax(c.share * 4))));
  }
  const gate = (s.gate ?? []).map((c) => ({
    id: c.id,
    decision: c.decision === 'undecided' ? 'undecided' : `${c.decision.toUpperCase()} at ${c.decidedAtS} s`,
    bounds: `${pct(c.lower)}–${pct(c.upper)} of ${fmtInt(c.requests)} requests (holds ${c.passWhen} ${pct(c.share)})${c.gating ? '' : ', advisory'}`,
  }));
  const faults = s.faults.map((f) =>
    `#${f.index} ${f.action} at ${sig(f.startedAtMs / 1000 - t0)} s, ${sig((f.endedAtMs - f.startedAtMs) / 1000)} s: ${f.outcome} — ${f.detail}`);
  return {
    title: s.title,
    status: s.end ? 'ended' : last ? 'running' : 'waiting',
    figures,
    charts,
    gate,
    faults,
    ...(s.merged ? { mergedQuery: s.merged.query } : {}),
    ...(s.end ? {
      end: {
        summary: s.end.summary,
        links: [
          ...(s.end.report ? [{ label: 'report.html', href: fileUrl(s.end.report) }] : []),
          { label: 'result.json', href: fileUrl(s.end.result) },
          ...(s.end.verdict ? [{ label: 'verdict.json', href: fileUrl(s.end.verdict) }] : []),
        ],
      },
    } : {}),
  };
}

/** The run's outcome in one line, for the page's end: what was measured and, when judged, the verdict. */
export function endSummary(r: RunResult, verdict?: string): string {
  const how = r.meta.complete ? 'complete' : `incomplete (${r.meta.incompleteReason ?? 'unknown'})`;
  return `${how}: ${fmtInt(r.overall.requests)} requests, P95 ${fmtMs(r.overall.latencyMs.p95)}, P99 ${fmtMs(r.overall.latencyMs.p99)}, ` +
    `errors ${fmtPct(r.overall.errorRate)}${verdict ? `; verdict ${verdict.toUpperCase()}` : ''}`;
}
