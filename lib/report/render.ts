// Renders a report view-model to its documents: one self-contained HTML page (CSS and SVG charts inline) and a
// Markdown page whose charts are separate .svg files linked by relative path. Only cli/ writes them to disk.

import { TOOL_VERSION } from '../version.js';
import { renderCharts, type ChartDef } from './render-chart.js';
import { stylesheet, template } from './templates.js';
import { STATUS_LABEL, type VerdictView } from './verdict-view.js';

/** What any report view offers the renderer. */
export interface ReportView {
  kind: 'run' | 'capacity' | 'history';
  title: string;
  charts: ChartDef[];
}

export interface ChartFile {
  /** File name, relative to the Markdown file. */
  file: string;
  svg: string;
}

export interface RenderedReport {
  html: string;
  markdown: string;
  /** The charts as standalone SVG files for the Markdown version. */
  chartFiles: ChartFile[];
}

const verdictContext = (v: VerdictView | undefined) => (v ? { ...v, label: STATUS_LABEL[v.status] } : undefined);

/** The HTML page, from the view and its charts' SVG (by chart id). */
export function reportHtml(view: ReportView & { verdict?: VerdictView }, svgs: ReadonlyMap<string, string>): string {
  const charts = Object.fromEntries(view.charts.map((c) => [c.id, { ...c, svg: svgs.get(c.id) ?? '' }]));
  return template(`${view.kind}.html.hbs`)({
    view, charts, verdict: verdictContext(view.verdict), css: stylesheet(), toolVersion: TOOL_VERSION,
  });
}

/** The Markdown page; `files` maps chart id to the relative path of its .svg. */
export function reportMarkdown(view: ReportView & { verdict?: VerdictView }, files: ReadonlyMap<string, string>): string {
  const charts = Object.fromEntries(view.charts.map((c) => [c.id, { ...c, file: files.get(c.id) ?? '' }]));
  const md = template(`${view.kind}.md.hbs`)({ view, charts, verdict: verdictContext(view.verdict), toolVersion: TOOL_VERSION });
  // Templates leave runs of blank lines where optional sections were skipped: keep one.
  return md.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Chart file name beside the Markdown file: "<base>-<chart id>.svg". */
export function chartFileName(base: string, chartId: string): string {
  return `${base}-${chartId}.svg`;
}

/** Renders charts, then both documents. `base` names the chart files (the Markdown file's name without .md). */
export async function renderReport(view: ReportView & { verdict?: VerdictView }, base: string): Promise<RenderedReport> {
  const svgs = await renderCharts(view.charts);
  const files = new Map(view.charts.map((c) => [c.id, chartFileName(base, c.id)]));
  return {
    html: reportHtml(view, svgs),
    markdown: reportMarkdown(view, files),
    chartFiles: view.charts.map((c) => ({ file: files.get(c.id)!, svg: svgs.get(c.id)! })),
  };
}
