// The capacity report's "why it broke" charts as vega-lite specs: each level's mean latency decomposed by part as
// one stacked bar (lib/capacity/decompose.ts), and MVA's predicted curves for the what-ifs beside the measured
// levels (lib/capacity/what-if.ts), throughput and mean response time against users.

import type { TopLevelSpec } from 'vega-lite';
import { PARTS } from '../capacity/decompose.js';
import type { CapacityResult } from '../capacity/schema.js';
import type { ChartDef } from './render-chart.js';

const WIDTH = 760;
const HEIGHT = 240;
const round = (x: number) => Number(x.toPrecision(5));

/** One colour per part, in PARTS' order: the generator grey, the stack's parts in hues, unexplained pale. */
const PART_COLOURS = ['#9ca3af', '#f59e0b', '#2563eb', '#dc2626', '#16a34a', '#e5e7eb'] as const;
const CURVE_COLOURS = ['#111827', '#2563eb', '#16a34a', '#dc2626', '#9333ea', '#d97706'] as const;

/** The levels' mean latency by part, one stacked bar per decomposed level; null when no level was decomposed. */
export function decompositionChart(c: CapacityResult): ChartDef | null {
  const levels = c.levels.filter((l) => l.decomposition && l.requests > 0);
  if (levels.length === 0) return null;
  const label = (vus: number) => `${vus} VUs`;
  const values = levels.flatMap((l) => PARTS.flatMap((part, order) => {
    const ms = l.decomposition!.parts[part];
    return ms === undefined ? [] : [{ level: label(l.vus), part, ms: round(ms), order }];
  }));
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'level', type: 'ordinal', sort: levels.map((l) => label(l.vus)), title: 'level', axis: { labelAngle: 0 } },
      // Unexplained is signed: a witness that over-counts draws it below 0.
      y: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'mean latency (ms)' },
      color: { field: 'part', type: 'nominal', title: null, scale: { domain: [...PARTS], range: [...PART_COLOURS] } },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'level' }, { field: 'part' }, { field: 'ms', format: '.2f' }],
    },
  };
  return {
    id: 'decomposition',
    title: 'Where the latency went, by level',
    caption: "Each level's k6 mean split into the generator's side (k6's blocked, connecting, TLS, sending and receiving phases), " +
      "nginx's queue, the API's own time, the database (statements, backends waiting for CPU, the pool's queue), Redis, and what none " +
      'of them explains (signed).',
    spec,
  };
}

/** MVA's predicted curves for the measured topology and each what-if, and the measured levels, against users. */
function mvaChart(c: CapacityResult, y: 'throughputRps' | 'responseTimeMs'): ChartDef | null {
  const mva = c.mva;
  if (!mva || mva.curves.length === 0) return null;
  const names = mva.curves.map((k) => k.name);
  const curves = mva.curves.flatMap((k) => k.points.map((p) => ({ n: p.vus, v: round(p[y]), curve: k.name })));
  const measured = c.levels
    .filter((l) => l.complete && l.requests > 0)
    .flatMap((l) => {
      const v = y === 'throughputRps' ? l.throughputRps : l.decomposition?.totalMs;
      return v === undefined ? [] : [{ n: l.vus, v: round(v), excluded: l.generator?.bound ? 'generator-bound (not modelled)' : 'measured' }];
    });
  const title = y === 'throughputRps' ? 'throughput (requests/s)' : 'mean response time (ms)';
  const spec: TopLevelSpec = {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values: curves },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'n', type: 'quantitative', title: 'concurrent users (VUs)' },
          y: { field: 'v', type: 'quantitative', title },
          color: { field: 'curve', type: 'nominal', title: null, scale: { domain: names, range: CURVE_COLOURS.slice(0, names.length) } },
        },
      },
      {
        data: { values: measured },
        mark: { type: 'point', filled: true, size: 70, color: '#111827' },
        encoding: {
          x: { field: 'n', type: 'quantitative' },
          y: { field: 'v', type: 'quantitative' },
          shape: { field: 'excluded', type: 'nominal', title: null, scale: { domain: ['measured', 'generator-bound (not modelled)'], range: ['circle', 'cross'] } },
        },
      },
    ],
  };
  const what = y === 'throughputRps' ? 'throughput' : 'mean response time';
  return {
    id: y === 'throughputRps' ? 'mva-throughput' : 'mva-response-time',
    title: `What-if: ${what} predicted by MVA`,
    caption: `Exact mean-value analysis on the demands measured at ${mva.demandsFromVus} VUs (think time ${mva.thinkTimeS} s), ` +
      'for the measured topology and each change, beside the levels measured (dots). These demands are this machine\'s.',
    spec,
  };
}

export function whyCharts(c: CapacityResult): ChartDef[] {
  return [decompositionChart(c), mvaChart(c, 'throughputRps'), mvaChart(c, 'responseTimeMs')].filter((x): x is ChartDef => x !== null);
}
