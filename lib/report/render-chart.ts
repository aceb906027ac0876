// Turns a vega-lite spec into an SVG string in Node (vega-lite compiles, vega renders headless): charts are drawn
// by a charting library, never by hand, and need no network or script to display.

import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';

/** One chart of a report: an id (used for file names and SVG ids), a title, a caption and its vega-lite spec. */
export interface ChartDef {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

/** Shared look: system fonts, light grid, the report's palette. */
export const CHART_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e5e7eb', domainColor: '#9ca3af' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top' },
  title: { fontSize: 13, anchor: 'start' },
} as const;

/** Renders one spec to SVG. Element ids are prefixed with the chart id so several SVGs can share one page. */
export async function renderChartSvg(chart: ChartDef): Promise<string> {
  const vgSpec = compile({ ...chart.spec, config: { ...CHART_CONFIG, ...(chart.spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, chart.id);
  } finally {
    view.finalize();
  }
}

/** Renders every chart; returns svg text by chart id. */
export async function renderCharts(charts: readonly ChartDef[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of charts) out.set(c.id, await renderChartSvg(c));
  return out;
}

/** vega numbers clip paths and gradients from 1 in every view: make them unique per chart. */
function prefixIds(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${p}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${p}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${p}-${id}"`);
}
