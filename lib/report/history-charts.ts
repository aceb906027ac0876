// History charts as vega-lite specs: one key figure (P95, P99, error rate, throughput) of the run as a whole over
// the judged runs, each stable segment's mean drawn across it and each change point marked where it starts.

import type { TopLevelSpec } from 'vega-lite';
import type { ChangePoint } from '../history/changepoints.js';
import type { HistoryMetric, SeriesPoint } from '../history/series.js';
import type { ChartDef } from './render-chart.js';
import { PALETTE } from './run-charts.js';

const WIDTH = 760;
const HEIGHT = 180;

const AXIS: Record<HistoryMetric, { title: string; label: string; scale: number }> = {
  p95: { title: 'P95 (ms)', label: 'P95', scale: 1 },
  p99: { title: 'P99 (ms)', label: 'P99', scale: 1 },
  errorRate: { title: 'error rate (%)', label: 'Error rate', scale: 100 },
  throughput: { title: 'requests/s', label: 'Throughput', scale: 1 },
};

const round = (x: number) => Number(x.toPrecision(6));

export function historyChart(metric: HistoryMetric, points: readonly SeriesPoint[], cps: readonly ChangePoint[], currentRun?: number): ChartDef {
  const a = AXIS[metric];
  const values = points.map((p) => ({ run: p.run, v: round(p.value * a.scale), verdict: p.entry.verdict }));
  // Segments between change points, each with its mean: the level the detector sees.
  const bounds = [0, ...cps.map((c) => c.index), points.length];
  const segments = bounds.slice(0, -1).map((s, i) => {
    const e = bounds[i + 1]!;
    const seg = points.slice(s, e);
    return { from: seg[0]!.run, to: seg[seg.length - 1]!.run, mean: round((seg.reduce((t, p) => t + p.value, 0) / seg.length) * a.scale) };
  });
  const marks = cps.map((c) => ({
    run: points[c.index]!.run,
    label: c.change === null ? 'new' : `${c.change >= 0 ? '+' : '−'}${Math.abs(c.change * 100).toFixed(Math.abs(c.change) >= 0.1 ? 0 : 1)} %`,
  }));
  const current = currentRun === undefined ? [] : values.filter((v) => v.run === currentRun);
  const x = { field: 'run', type: 'quantitative' as const, title: 'judged run (1 = oldest in the history)', axis: { tickMinStep: 1, format: 'd' } };
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 24 }, strokeWidth: 1.25, color: PALETTE.p95 },
        encoding: { x, y: { field: 'v', type: 'quantitative', title: a.title } },
      },
      {
        data: { values: segments },
        mark: { type: 'rule', color: PALETTE.vus, strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' }, y: { field: 'mean', type: 'quantitative' } },
      },
      ...(marks.length
        ? [{
            data: { values: marks },
            layer: [
              { mark: { type: 'rule' as const, color: PALETTE.target, strokeWidth: 1.5 }, encoding: { x: { field: 'run', type: 'quantitative' as const } } },
              {
                mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 3, y: 2, color: PALETTE.target, fontSize: 10 },
                encoding: { x: { field: 'run', type: 'quantitative' as const }, text: { field: 'label' } },
              },
            ],
          }]
        : []),
      ...(current.length
        ? [{ data: { values: current }, mark: { type: 'point' as const, shape: 'diamond', size: 110, filled: true, color: PALETTE.limited }, encoding: { x, y: { field: 'v', type: 'quantitative' as const } } }]
        : []),
    ],
  };
  return {
    id: `history-${metric}`,
    title: `${a.label} over the judged runs`,
    caption:
      `${points.length} runs. Dashed: each stable segment's mean. ` +
      (cps.length ? `Red lines: change points (${cps.length}), labelled with the step. ` : 'No change point: one stable segment. ') +
      (current.length ? 'Diamond: this run.' : ''),
    spec,
  };
}
