// The run report's charts as vega-lite specs: latency over time, throughput/errors with VUs, latency distribution,
// status codes. Data is prepared here (downsampled, binned) so every spec is small whatever the run's length.

import type { TopLevelSpec } from 'vega-lite';
import type { Bucket } from '../histogram.js';
import type { RunResult } from '../result/schema.js';
import { downsampleTimeline, type TimelineBucket } from './downsample.js';
import type { ChartDef } from './render-chart.js';
import { eventCaption, eventLayers } from './resilience-layers.js';

const WIDTH = 760;
const HEIGHT = 220;
export const PALETTE = {
  p50: '#60a5fa', p95: '#2563eb', p99: '#1e3a8a', requests: '#2563eb', errors: '#dc2626', limited: '#d97706',
  vus: '#6b7280', target: '#dc2626', bar: '#3b82f6',
} as const;

/** A latency target drawn across a chart (from the verdict's thresholds). */
export interface TargetLine {
  label: string;
  ms: number;
}

/** Minutes on the time axis once a run is longer than 10 minutes, seconds before. */
function timeAxis(buckets: readonly TimelineBucket[]): { div: number; title: string } {
  const span = buckets.length ? buckets[buckets.length - 1]!.elapsedS : 0;
  return span > 600 ? { div: 60, title: 'minutes since start' } : { div: 1, title: 'seconds since start' };
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** A target this far above the run's worst P99 would flatten the data to the axis: it is named, not drawn. */
export const TARGET_DRAW_FACTOR = 2;

/** Extra layers over a timeline chart (a fault plan's events and outages), given the axis' divisor. */
export type TimeMarks = (div: number) => { layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']>; caption: string };
const NO_MARKS: TimeMarks = () => ({ layers: [], caption: '' });

export function latencyOverTime(buckets: readonly TimelineBucket[], allTargets: readonly TargetLine[], marks: TimeMarks = NO_MARKS): ChartDef {
  const ax = timeAxis(buckets);
  const m = marks(ax.div);
  const worst = Math.max(0, ...buckets.map((b) => b.p99Ms));
  const targets = allTargets.filter((t) => t.ms <= TARGET_DRAW_FACTOR * worst);
  const offChart = allTargets.filter((t) => t.ms > TARGET_DRAW_FACTOR * worst);
  const values = buckets.flatMap((b) => [
    { t: round(b.elapsedS / ax.div), series: 'P50', ms: round(b.p50Ms) },
    { t: round(b.elapsedS / ax.div), series: 'P95', ms: round(b.p95Ms) },
    { t: round(b.elapsedS / ax.div), series: 'P99', ms: round(b.p99Ms) },
  ]);
  const width = buckets[0]?.seconds ?? 1;
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      ...m.layers,
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: ax.title },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
          color: {
            field: 'series', type: 'nominal', title: null,
            scale: { domain: ['P50', 'P95', 'P99'], range: [PALETTE.p50, PALETTE.p95, PALETTE.p99] },
          },
        },
      },
      ...(targets.length
        ? [{
            data: { values: targets.map((t) => ({ ms: t.ms, label: t.label })) },
            layer: [
              { mark: { type: 'rule' as const, color: PALETTE.target, strokeDash: [4, 3] }, encoding: { y: { field: 'ms', type: 'quantitative' as const } } },
              {
                mark: { type: 'text' as const, align: 'right' as const, dy: -5, color: PALETTE.target, fontSize: 10 },
                encoding: { y: { field: 'ms', type: 'quantitative' as const }, x: { value: WIDTH }, text: { field: 'label' } },
              },
            ],
          }]
        : []),
    ],
  };
  return {
    id: 'latency-over-time',
    title: 'Latency percentiles over time',
    caption: m.caption +
      (width > 1 ? `Each point covers ${width} s: P95 and P99 are the highest per-second values in it, P50 the mean. ` : '') +
      (targets.length ? 'Dashed lines: the latency targets. ' : '') +
      (offChart.length
        ? `Not drawn, far above every point: ${offChart.map((t) => t.label).join(', ')}.`
        : ''),
    spec,
  };
}

export function throughputOverTime(buckets: readonly TimelineBucket[], marks: TimeMarks = NO_MARKS): ChartDef {
  const ax = timeAxis(buckets);
  const m = marks(ax.div);
  const rates = buckets.flatMap((b) => [
    { t: round(b.elapsedS / ax.div), series: 'requests/s', v: round(b.requestsPerS) },
    { t: round(b.elapsedS / ax.div), series: 'errors/s', v: round(b.errorsPerS) },
    { t: round(b.elapsedS / ax.div), series: '429/s', v: round(b.rateLimitedPerS) },
  ]);
  const vus = buckets.map((b) => ({ t: round(b.elapsedS / ax.div), series: 'active VUs', v: b.vus }));
  const color = {
    field: 'series', type: 'nominal' as const, title: null,
    scale: {
      domain: ['requests/s', 'errors/s', '429/s', 'active VUs'],
      range: [PALETTE.requests, PALETTE.errors, PALETTE.limited, PALETTE.vus],
    },
  };
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      ...m.layers,
      {
        data: { values: rates },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: ax.title },
          y: { field: 'v', type: 'quantitative', title: 'per second' },
          color,
        },
      },
      {
        data: { values: vus },
        mark: { type: 'line', strokeWidth: 1.5, strokeDash: [5, 3], interpolate: 'step-after' },
        encoding: {
          x: { field: 't', type: 'quantitative' },
          y: { field: 'v', type: 'quantitative', title: 'active VUs', axis: { orient: 'right', grid: false, tickMinStep: 1, format: 'd' } },
          color,
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
  return {
    id: 'throughput-over-time',
    title: 'Requests/s, errors/s and rate-limited/s, with active VUs',
    caption: m.caption + 'Rates are averaged over each point; VUs (dashed, right axis) are the highest count in it.',
    spec,
  };
}

/** A bar of the latency distribution: requests whose latency fell in [loMs, hiMs). */
export interface LatencyBin {
  loMs: number;
  hiMs: number;
  count: number;
}

/** Bins HDR buckets on a log scale, `perDecade` bins per factor of 10, from the first to the last non-empty bin. */
export function logBins(bs: readonly Bucket[], perDecade = 10): LatencyBin[] {
  const nonZero = bs.filter((b) => b.count > 0);
  if (nonZero.length === 0) return [];
  const edge = (k: number) => Math.pow(10, k / perDecade);
  const idx = (ms: number) => Math.floor(Math.log10(Math.max(ms, 0.001)) * perDecade + 1e-9);
  const lo = idx(nonZero[0]!.valueMs);
  const hi = idx(nonZero[nonZero.length - 1]!.valueMs);
  const bins: LatencyBin[] = [];
  for (let k = lo; k <= hi; k++) bins.push({ loMs: round(edge(k), 4), hiMs: round(edge(k + 1), 4), count: 0 });
  for (const b of nonZero) bins[idx(b.valueMs) - lo]!.count += b.count;
  return bins;
}

export function latencyDistribution(bins: readonly LatencyBin[], marks: readonly TargetLine[]): ChartDef {
  const total = bins.reduce((s, b) => s + b.count, 0) || 1;
  const values = bins.map((b) => ({ lo: b.loMs, hi: b.hiMs, share: round((100 * b.count) / total, 4) }));
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values },
        // rect, not bar: a bar with x and x2 is drawn horizontally; the bins are vertical columns [lo, hi) × [0, share].
        mark: { type: 'rect', color: PALETTE.bar, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' },
          x2: { field: 'hi' },
          y: { field: 'share', type: 'quantitative', title: '% of requests' },
          y2: { datum: 0 },
        },
      },
      {
        // Labels stagger down so close percentiles (P95, P99) do not overprint.
        data: { values: marks.map((m, i) => ({ ms: m.ms, label: m.label, y: 2 + 12 * i })) },
        layer: [
          { mark: { type: 'rule', color: PALETTE.p99, strokeDash: [3, 3] }, encoding: { x: { field: 'ms', type: 'quantitative' } } },
          {
            mark: { type: 'text', align: 'left', dx: 3, baseline: 'top', fontSize: 10, color: PALETTE.p99 },
            encoding: { x: { field: 'ms', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: null }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
  return {
    id: 'latency-distribution',
    title: 'All requests by latency',
    caption: 'Every request, from the run\'s HDR histogram, in bins of equal width on a log scale; dashed lines mark P50, P95 and P99.',
    spec,
  };
}

/** Colour of a status class: 2xx green, 429 amber, other 4xx orange, 5xx red, network errors grey. */
export function statusColor(code: string): string {
  if (code === '429') return '#d97706';
  if (code.startsWith('2')) return '#16a34a';
  if (code.startsWith('3')) return '#0891b2';
  if (code.startsWith('4')) return '#ea580c';
  if (code.startsWith('5')) return '#dc2626';
  return '#6b7280';
}

export function statusCodes(counts: Readonly<Record<string, number>>): ChartDef {
  const codes = Object.keys(counts).sort();
  const values = codes.map((c) => ({ code: c === '0' ? 'network error' : c, n: counts[c]!, color: statusColor(c) }));
  const max = Math.max(1, ...values.map((v) => v.n));
  // symlog ticks crowd: label 0 and the powers of ten only.
  const ticks = [0, ...Array.from({ length: Math.floor(Math.log10(max)) + 1 }, (_, i) => 10 ** i)];
  const spec: TopLevelSpec = {
    width: WIDTH, height: Math.max(40, 24 * values.length),
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'code', type: 'nominal', title: null, sort: null },
          x: { field: 'n', type: 'quantitative', title: 'responses', scale: { type: 'symlog' }, axis: { values: ticks, labelExpr: "format(datum.value, ',')" } },
          color: { field: 'color', type: 'nominal', scale: null, legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
        encoding: {
          y: { field: 'code', type: 'nominal', sort: null },
          x: { field: 'n', type: 'quantitative' },
          text: { field: 'n', type: 'quantitative', format: ',' },
        },
      },
    ],
  };
  return {
    id: 'status-codes',
    title: 'Responses by status',
    caption: 'Symmetric-log axis so a handful of errors stays visible beside thousands of 200s.',
    spec,
  };
}

/** Every chart of a run report. */
export function runCharts(r: RunResult, bins: readonly LatencyBin[], targets: readonly TargetLine[]): ChartDef[] {
  const buckets = downsampleTimeline(r.timeline);
  const l = r.overall.latencyMs;
  const charts: ChartDef[] = [];
  const marks: TimeMarks = (div) => ({ layers: eventLayers(r, div) as ReturnType<TimeMarks>['layers'], caption: eventCaption(r) });
  if (buckets.length > 0) charts.push(latencyOverTime(buckets, targets, marks), throughputOverTime(buckets, marks));
  if (bins.length > 0) {
    charts.push(latencyDistribution(bins, [
      { label: 'P50', ms: l.p50 }, { label: 'P95', ms: l.p95 }, { label: 'P99', ms: l.p99 },
    ]));
  }
  if (Object.keys(r.overall.statusCodes).length > 0) charts.push(statusCodes(r.overall.statusCodes));
  return charts;
}
