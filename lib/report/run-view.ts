// The run report's view-model: every figure a template shows, already formatted, in reading order (verdict first).
// Pure: RunResult (+ verdict, + baseline) in, plain data out; templates only lay it out.

import { prometheusView, type PrometheusView } from './prometheus-view.js';
import { describeBudget } from '../result/budget.js';
import { buckets as histogramBuckets, decodeHistogram } from '../histogram.js';
import type { RequestStats, RunResult } from '../result/schema.js';
import { fmtDelta, fmtDuration, fmtInt, fmtMs, fmtPct, fmtRate } from './format.js';
import { runInsights, type Insight } from './insights.js';
import type { ChartDef } from './render-chart.js';
import { logBins, runCharts, type TargetLine } from './run-charts.js';
import { resilienceView, type ResilienceView } from './resilience-layers.js';
import { notJudged, type VerdictView } from './verdict-view.js';
import { sequenceChart } from './sequence-chart.js';
import type { HistoryView } from './history-view.js';

export interface Row {
  label: string;
  value: string;
}

export interface EndpointRow {
  name: string;
  requests: string;
  rps: string;
  errors: string;
  errorRate: string;
  rateLimited: string;
  p50: string;
  p95: string;
  p99: string;
  /** Error rate above 0 or rate-limited responses: the row is highlighted. */
  flagged: boolean;
}

export interface StatusRow {
  code: string;
  meaning: string;
  count: string;
  share: string;
  kind: 'ok' | 'limited' | 'client' | 'server' | 'network' | 'other';
}

export interface CheckRow {
  name: string;
  passes: string;
  fails: string;
  passRate: string;
  ok: boolean;
}

export interface BaselineRow {
  metric: string;
  baseline: string;
  current: string;
  change: string;
  /** The change is in the bad direction by more than 10 %. */
  worse: boolean;
}

export interface BaselineView {
  label: string;
  rows: BaselineRow[];
}

export interface RunView {
  kind: 'run';
  title: string;
  subtitle: string;
  verdict: VerdictView;
  /** Problems with the data itself (incomplete run, garbled lines): shown above everything else. */
  warnings: string[];
  keyFigures: Row[];
  insights: Insight[];
  endpoints: EndpointRow[];
  statusCodes: StatusRow[];
  checks: CheckRow[];
  /** Checks split for display: failing ones always shown, passing ones folded when there are many. */
  checksFailing: CheckRow[];
  checksPassing: CheckRow[];
  baseline: BaselineView | null;
  meta: Row[];
  charts: ChartDef[];
  /** The run history of this scenario and profile with its change points, when there is one. */
  history?: HistoryView | null;
  /** A fault plan's events, one sentence each; null without a plan. */
  resilience: ResilienceView | null;
  /** Prometheus's figures of the run beside its own (remote write); null without them. */
  prometheus: PrometheusView | null;
}

export interface RunViewOptions {
  verdict?: VerdictView;
  baseline?: { label: string; result: RunResult };
}

function endpointRow(name: string, s: RequestStats): EndpointRow {
  return {
    name,
    requests: fmtInt(s.requests),
    rps: fmtRate(s.throughputRps),
    errors: fmtInt(s.failed),
    errorRate: fmtPct(s.errorRate),
    rateLimited: fmtInt(s.rateLimited),
    p50: fmtMs(s.latencyMs.p50),
    p95: fmtMs(s.latencyMs.p95),
    p99: fmtMs(s.latencyMs.p99),
    flagged: s.failed > 0 || s.rateLimited > 0,
  };
}

const STATUS_MEANING: Record<string, string> = {
  '0': 'network error or timeout', '200': 'OK', '201': 'Created', '204': 'No Content', '301': 'Moved', '302': 'Found',
  '304': 'Not Modified', '400': 'Bad Request', '401': 'Unauthorized', '403': 'Forbidden', '404': 'Not Found',
  '409': 'Conflict', '422': 'Unprocessable', '429': 'Too Many Requests (rate limit)', '500': 'Internal Server Error',
  '502': 'Bad Gateway', '503': 'Service Unavailable', '504': 'Gateway Timeout',
};

function statusKind(code: string): StatusRow['kind'] {
  if (code === '0') return 'network';
  if (code === '429') return 'limited';
  if (/^[23]/.test(code)) return 'ok';
  if (code.startsWith('4')) return 'client';
  if (code.startsWith('5')) return 'server';
  return 'other';
}

export function statusRows(counts: Readonly<Record<string, number>>): StatusRow[] {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.keys(counts)
    .sort((a, b) => Number(a) - Number(b))
    .map((code) => ({
      code,
      meaning: STATUS_MEANING[code] ?? '',
      count: fmtInt(counts[code]!),
      share: fmtPct(total > 0 ? counts[code]! / total : 0),
      kind: statusKind(code),
    }));
}

export function checkRows(checks: RunResult['checks']): CheckRow[] {
  return Object.entries(checks)
    .sort((a, b) => b[1].fails - a[1].fails || a[0].localeCompare(b[0]))
    .map(([name, c]) => ({
      name,
      passes: fmtInt(c.passes),
      fails: fmtInt(c.fails),
      passRate: fmtPct(c.passes + c.fails > 0 ? c.passes / (c.passes + c.fails) : 0),
      ok: c.fails === 0,
    }));
}

/** Overall figures side by side with a baseline run; "worse" when >10 % in the bad direction. */
export function baselineRows(base: RunResult, cur: RunResult): BaselineRow[] {
  const row = (metric: string, b: number, c: number, fmt: (x: number) => string, higherIsWorse: boolean): BaselineRow => {
    const change = b === 0 ? (c === 0 ? 0 : Infinity) : c / b - 1;
    return {
      metric,
      baseline: fmt(b),
      current: fmt(c),
      change: b === 0 ? (c === 0 ? '0 %' : 'new') : fmtDelta(change),
      worse: higherIsWorse ? change > 0.1 : change < -0.1,
    };
  };
  const b = base.overall;
  const c = cur.overall;
  const rows = [
    row('throughput', b.throughputRps, c.throughputRps, fmtRate, false),
    row('error rate', b.errorRate, c.errorRate, fmtPct, true),
    row('P50', b.latencyMs.p50, c.latencyMs.p50, fmtMs, true),
    row('P95', b.latencyMs.p95, c.latencyMs.p95, fmtMs, true),
    row('P99', b.latencyMs.p99, c.latencyMs.p99, fmtMs, true),
  ];
  for (const [name, s] of Object.entries(cur.endpoints).sort((x, y) => x[0].localeCompare(y[0]))) {
    const bs = base.endpoints[name];
    if (bs) rows.push(row(`P95 ${name}`, bs.latencyMs.p95, s.latencyMs.p95, fmtMs, true));
  }
  return rows;
}

function metaRows(r: RunResult): Row[] {
  const m = r.meta;
  const rows: Row[] = [
    { label: 'scenario', value: m.scenario },
    { label: 'profile', value: `${m.profile} (scale ${m.scale})` },
    { label: 'target', value: m.target || '(unknown)' },
    { label: 'started', value: m.startedAt },
    { label: 'ended', value: m.endedAt },
    { label: 'duration', value: fmtDuration(m.durationS) },
    { label: 'k6', value: m.k6Version + (m.k6ExitCode !== undefined ? ` (exit code ${m.k6ExitCode})` : '') },
    { label: 'conecta-load', value: `${m.toolVersion}${m.gitSha ? ` @ ${m.gitSha.slice(0, 12)}` : ''} (${m.source})` },
    { label: 'host', value: `${m.host.platform}, ${m.host.cpus} CPUs, Node ${m.host.node}` },
    { label: 'VUs max', value: fmtInt(r.vusMax) },
    { label: 'iterations', value: `${fmtInt(r.iterations)} completed, ${fmtInt(r.droppedIterations)} dropped` },
    { label: 'k6 output', value: `${fmtInt(r.ingest.lines)} lines, ${fmtInt(r.ingest.garbledLines)} garbled` },
  ];
  const g = r.generator;
  if (r.budget) rows.push({ label: 'budget', value: describeBudget(r.budget) });
  if (g) rows.push({ label: 'k6 CPU', value: `peak ${fmtPct(g.peakCores / g.cores)} of this machine's cores, mean ${g.meanCores.toFixed(2)} cores` });
  for (const [k, v] of Object.entries(m.labels).sort()) rows.push({ label: `label ${k}`, value: v });
  return rows;
}

/** Latency targets to draw on the latency chart, from the verdict's criteria. */
function targetLines(v: VerdictView): TargetLine[] {
  return v.targets.filter((t) => t.ms > 0);
}

export function buildRunView(r: RunResult, opts: RunViewOptions = {}): RunView {
  const verdict = opts.verdict ?? notJudged();
  const o = r.overall;
  const warnings: string[] = [];
  if (!r.meta.complete) warnings.push(`The run is incomplete: ${r.meta.incompleteReason ?? 'k6 stopped early'}. Figures cover what was measured.`);
  if (r.ingest.garbledLines > 0) warnings.push(`${fmtInt(r.ingest.garbledLines)} lines of k6 output were not valid JSON and were skipped.`);
  if (o.requests === 0) warnings.push('No HTTP requests were recorded.');
  const checks = checkRows(r.checks);
  const prometheus = prometheusView(r);
  const bins = o.requests > 0 ? logBins(histogramBuckets(decodeHistogram(o.histogram))) : [];
  return {
    kind: 'run',
    title: `Load test: ${r.meta.scenario} · ${r.meta.profile}`,
    subtitle: `${r.meta.target || 'unknown target'} · ${r.meta.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')} · ${fmtDuration(r.meta.durationS)}`,
    verdict,
    warnings,
    keyFigures: [
      { label: 'requests', value: fmtInt(o.requests) },
      { label: 'throughput', value: fmtRate(o.throughputRps) },
      { label: 'error rate', value: fmtPct(o.errorRate) },
      { label: 'rate-limited (429)', value: fmtInt(o.rateLimited) },
      { label: 'P50', value: fmtMs(o.latencyMs.p50) },
      { label: 'P95', value: fmtMs(o.latencyMs.p95) },
      { label: 'P99', value: fmtMs(o.latencyMs.p99) },
      { label: 'VUs max', value: fmtInt(r.vusMax) },
    ],
    // Prometheus disagreeing with the run beyond its precision is a finding like any other.
    insights: [...runInsights(r), ...(prometheus?.findings ?? [])],
    endpoints: [
      ...Object.entries(r.endpoints).sort((a, b) => b[1].requests - a[1].requests).map(([n, s]) => endpointRow(n, s)),
    ],
    statusCodes: statusRows(o.statusCodes),
    checks,
    checksFailing: checks.filter((c) => !c.ok),
    checksPassing: checks.filter((c) => c.ok),
    baseline: opts.baseline ? { label: opts.baseline.label, rows: baselineRows(opts.baseline.result, r) } : null,
    meta: metaRows(r),
    charts: [...runCharts(r, bins, targetLines(verdict)), ...[sequenceChart(verdict.sequence ?? [])].filter((c) => c !== undefined)],
    resilience: resilienceView(r),
    prometheus,
  };
}
