// The capacity report's charts as vega-lite specs: throughput vs users with the fitted USL curve, latency
// percentiles vs users with the targets, and each resource model (points, regression line, prediction band).

import type { TopLevelSpec } from 'vega-lite';
import { resourceValue } from '../capacity/analyze.js';
import { predictLinear, type LinearFit } from '../capacity/linear.js';
import type { CapacityResult, LinearModel } from '../capacity/schema.js';
import { uslThroughput } from '../capacity/usl.js';
import { fmtBytes } from './format.js';
import type { ChartDef } from './render-chart.js';
import { PALETTE, TARGET_DRAW_FACTOR } from './run-charts.js';
import { whyCharts } from './why-charts.js';

const WIDTH = 760;
const HEIGHT = 240;
const CURVE_POINTS = 120;
const round = (x: number, digits = 4) => Number(x.toPrecision(digits + 2));
/** A model coefficient: 3 significant digits, plain 0 when it is 0 (a bound the fit hit). */
export const coef = (x: number) => (x === 0 ? '0' : x.toPrecision(3));

/** How far right the curves go: twice the top level (where extrapolation starts), or past the USL peak if near. */
export function curveEnd(c: CapacityResult): number {
  const top = Math.max(1, ...c.levels.map((l) => l.vus));
  const peak = c.usl.peakConcurrency;
  return peak !== null && peak < 4 * top ? Math.max(2 * top, Math.ceil(peak * 1.2)) : 2 * top;
}

export function throughputVsUsers(c: CapacityResult): ChartDef {
  const top = Math.max(1, ...c.levels.map((l) => l.vus));
  const end = curveEnd(c);
  const curve: { n: number; x: number; part: string }[] = [];
  if (c.usl.model !== 'none') {
    for (let i = 0; i <= CURVE_POINTS; i++) {
      const n = Math.max(1, (end * i) / CURVE_POINTS);
      // The boundary point belongs to both parts so the dashed part continues the solid one.
      const x = round(uslThroughput(c.usl, n));
      if (n <= top) curve.push({ n: round(n), x, part: 'USL fit' });
      if (n >= top || i === CURVE_POINTS) curve.push({ n: round(n), x, part: 'USL extrapolated' });
    }
  }
  const points = c.levels.map((l) => ({
    n: l.vus, x: round(l.throughputRps), users: l.users,
    status: l.verdict.steady.withinTargets ? 'within targets' : 'targets broken',
  }));
  const peak = c.usl.peakConcurrency !== null && c.usl.peakConcurrency <= end
    ? [{ n: round(c.usl.peakConcurrency), label: `peak N* ≈ ${Math.round(c.usl.peakConcurrency)}` }] : [];
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values: curve },
        mark: { type: 'line', strokeWidth: 2, color: PALETTE.p95 },
        encoding: {
          x: { field: 'n', type: 'quantitative', title: 'concurrent users (VUs)' },
          y: { field: 'x', type: 'quantitative', title: 'throughput (requests/s)' },
          strokeDash: {
            field: 'part', type: 'nominal', title: null,
            scale: { domain: ['USL fit', 'USL extrapolated'], range: [[1, 0], [6, 4]] },
          },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: { field: 'n', type: 'quantitative' },
          y: { field: 'x', type: 'quantitative' },
          color: {
            field: 'status', type: 'nominal', title: 'measured',
            scale: { domain: ['within targets', 'targets broken'], range: ['#16a34a', '#dc2626'] },
          },
        },
      },
      ...(peak.length
        ? [{
            data: { values: peak },
            layer: [
              { mark: { type: 'rule' as const, color: PALETTE.vus, strokeDash: [2, 3] }, encoding: { x: { field: 'n', type: 'quantitative' as const } } },
              {
                mark: { type: 'text' as const, align: 'left' as const, dx: 4, baseline: 'top' as const, fontSize: 10, color: PALETTE.vus },
                encoding: { x: { field: 'n', type: 'quantitative' as const }, y: { value: 4 }, text: { field: 'label' } },
              },
            ],
          }]
        : []),
    ],
  };
  const u = c.usl;
  return {
    id: 'throughput-vs-users',
    title: 'Throughput vs users: measured levels and the fitted Universal Scalability Law',
    caption: u.model === 'none'
      ? 'Too few levels to fit a model: measured points only.'
      : `X(N) = λN / (1 + σ(N−1) + κN(N−1)) with λ = ${coef(u.lambda)}/s, σ = ${coef(u.sigma)}, ` +
        `κ = ${coef(u.kappa)} (${u.model}, R² = ${u.rSquared.toFixed(3)}, ${u.points} levels). Dashed beyond the top level.`,
    spec,
  };
}

export function latencyVsUsers(c: CapacityResult): ChartDef {
  const values = c.levels.flatMap((l) => [
    { n: l.vus, series: 'P50', ms: round(l.latencyMs.p50) },
    { n: l.vus, series: 'P95', ms: round(l.latencyMs.p95) },
    { n: l.vus, series: 'P99', ms: round(l.latencyMs.p99) },
  ]);
  const worst = Math.max(0, ...c.levels.map((l) => l.latencyMs.p99));
  const all = [
    { ms: c.targets.p95Ms, label: `P95 target ${c.targets.p95Ms} ms` },
    { ms: c.targets.p99Ms, label: `P99 target ${c.targets.p99Ms} ms` },
  ];
  // As on the run report: a target far above every level would squash the curves flat, so it is named instead.
  const targets = all.filter((t) => t.ms <= TARGET_DRAW_FACTOR * worst);
  const offChart = all.filter((t) => t.ms > TARGET_DRAW_FACTOR * worst);
  const color = {
    field: 'series', type: 'nominal' as const, title: null,
    scale: { domain: ['P50', 'P95', 'P99'], range: [PALETTE.p50, PALETTE.p95, PALETTE.p99] },
  };
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'n', type: 'quantitative', title: 'concurrent users (VUs)' },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
          color,
        },
      },
      ...(targets.length ? [{
        data: { values: targets },
        layer: [
          { mark: { type: 'rule' as const, color: PALETTE.target, strokeDash: [4, 3] }, encoding: { y: { field: 'ms', type: 'quantitative' as const } } },
          {
            mark: { type: 'text' as const, align: 'left' as const, dx: 4, dy: -6, color: PALETTE.target, fontSize: 10 },
            encoding: { y: { field: 'ms', type: 'quantitative' as const }, x: { value: 0 }, text: { field: 'label' } },
          },
        ],
      }] : []),
    ],
  };
  return {
    id: 'latency-vs-users',
    title: 'Latency percentiles vs users',
    caption: 'Each point is one level\'s steady window' +
      (targets.length ? '; dashed lines are the targets every level must hold.' : '.') +
      (offChart.length ? ` Not drawn, far above every level: ${offChart.map((t) => t.label).join(', ')}.` : ''),
    spec,
  };
}

/** x value of a level for a linear model's x variable. */
function xOf(model: LinearModel, l: CapacityResult['levels'][number]): number {
  if (model.x === 'throughputRps') return l.throughputRps;
  if (model.x === 'users') return l.users;
  return l.vus;
}

const UNIT_SCALE: Record<string, { div: number; label: string }> = {
  bytes: { div: 1024 ** 3, label: 'GiB' },
  cores: { div: 1, label: 'CPU cores' },
  connections: { div: 1, label: 'connections' },
};

const X_UNIT: Record<string, string> = { vus: 'VU', users: 'user', throughputRps: 'request/s' };

/** A model coefficient in the resource's own unit: bytes read as MiB/GiB, cores and counts at 3 digits. */
function amount(v: number, unit: string): string {
  if (unit === 'bytes') return (v < 0 ? '−' : '') + fmtBytes(Math.abs(v));
  return `${coef(v)} ${unit}`;
}

const X_TITLE: Record<string, string> = { vus: 'concurrent users (VUs)', users: 'users', throughputRps: 'throughput (requests/s)' };

/** One chart per fitted resource model: measured points, the line, and its prediction band. */
export function resourceModel(c: CapacityResult, model: Extract<LinearModel, { status: 'ok' }>): ChartDef | null {
  const pts = c.levels
    .filter((l) => l.complete)
    .map((l) => ({ x: xOf(model, l), y: resourceValue(l, model.y)?.value }))
    .filter((p): p is { x: number; y: number } => p.y !== undefined);
  if (pts.length < 3) return null;
  // The planner's own fit, as capacity.json keeps it: the band is the one sizing used, not a refit of the points.
  const fit: LinearFit = {
    slope: model.slope, intercept: model.intercept, rSquared: model.rSquared, n: model.n,
    residualSd: model.residualSd, meanX: model.meanX, sxx: model.sxx,
  };
  const u = UNIT_SCALE[model.unit] ?? { div: 1, label: model.unit };
  const xMax = 2 * Math.max(...pts.map((p) => p.x));
  const band = Array.from({ length: 41 }, (_, i) => {
    const x = (xMax * i) / 40;
    const p = predictLinear(fit, x, model.confidence);
    return { x: round(x), y: round(p.value / u.div), low: round(p.low / u.div), high: round(p.high / u.div) };
  });
  const measured = pts.map((p) => ({ x: round(p.x), y: round(p.y / u.div) }));
  const xTitle = X_TITLE[model.x] ?? model.x;
  const spec: TopLevelSpec = {
    width: WIDTH, height: 200,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.18, color: PALETTE.p95 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle },
          y: { field: 'low', type: 'quantitative', title: `${model.y} (${u.label})` },
          y2: { field: 'high' },
        },
      },
      {
        data: { values: band },
        mark: { type: 'line', color: PALETTE.p95, strokeWidth: 1.5 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: measured },
        mark: { type: 'point', filled: true, size: 60, color: PALETTE.p99 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  };
  return {
    id: `resource-${model.name}`,
    title: `${model.y} vs ${xTitle}`,
    caption:
      `Line: ${model.y} = ${amount(model.intercept, model.unit)} + ${amount(model.slope, model.unit)} per ${X_UNIT[model.x] ?? model.x} ` +
      `(R² = ${model.rSquared.toFixed(3)}, ${model.n} levels); band: ${Math.round(model.confidence * 100)} % prediction interval, ` +
      'drawn to twice the largest measured x.',
    spec,
  };
}

export function capacityCharts(c: CapacityResult): ChartDef[] {
  if (c.levels.length === 0) return [];
  const charts = [throughputVsUsers(c), latencyVsUsers(c), ...whyCharts(c)];
  for (const m of c.linearModels) {
    if (m.status !== 'ok') continue;
    const chart = resourceModel(c, m);
    if (chart) charts.push(chart);
  }
  return charts;
}
