// Writes one report: report.html (self-contained) and report.md (with its charts as .svg files beside it) next to
// the input, or where --out says. A run's verdict is the one in its verdict.json (--judge judges it anew).

import { writeFileAtomic } from '../atomic-file.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { HistoryIndex } from '../history/schema.js';
import { sortedRuns } from '../history/series.js';
import { DEFAULT_HISTORY_FILE, readHistory } from '../history/store.js';
import { buildHistoryView, MIN_HISTORY_RUNS } from './history-view.js';
import { readRunResult } from '../result/store.js';
import { reportView } from './view.js';
import { defaultReportPath, readLevelRuns, readReportInput, runLabel } from './load.js';
import { renderReport } from './render.js';
import { readVerdictView } from './verdict-load.js';
import type { Io } from '../io.js';

export interface ReportFlags {
  out?: string;
  baseline?: string;
  /** Judge the run now (writing its verdict.json) instead of showing the verdict it was judged with. */
  judge?: boolean;
  /** The thresholds file --judge uses (default ./thresholds.json); giving it implies --judge. */
  thresholds?: string;
  /** Run-history index whose charts join a run report (default results/history.json, when it exists). */
  history?: string;
}

export interface WrittenReport {
  kind: 'run' | 'capacity';
  htmlFile: string;
  mdFile: string;
  chartFiles: string[];
  htmlBytes: number;
  /** One line: the run's verdict, or the capacity answer. */
  verdictLine: string;
}

/** Renders a view and writes it: the HTML file, the Markdown beside it (.md) and its chart SVGs. */
async function renderAndWrite(view: Parameters<typeof renderReport>[0], htmlFile: string): Promise<Awaited<ReturnType<typeof renderReport>>> {
  const base = basename(htmlFile, extname(htmlFile));
  const outDir = dirname(htmlFile);
  const rendered = await renderReport(view, base);
  for (const c of rendered.chartFiles) writeFileAtomic(join(outDir, c.file), c.svg);
  writeFileAtomic(htmlFile, rendered.html);
  writeFileAtomic(join(outDir, `${base}.md`), rendered.markdown);
  return rendered;
}

/** The history report of one scenario and profile (default: the newest run's): its charts and change points. */
export async function writeHistoryReport(
  h: HistoryIndex, file: string, only: { scenario?: string; profile?: string }, out: string, io: Io,
): Promise<{ htmlFile: string; subtitle: string; changes: number }> {
  const newest = sortedRuns(h).filter((r) => (!only.scenario || r.scenario === only.scenario) && (!only.profile || r.profile === only.profile)).at(-1);
  const view = newest && buildHistoryView(h, newest.scenario, newest.profile);
  if (!view) throw new ConectaError(`${file}: fewer than ${MIN_HISTORY_RUNS} judged runs of this scenario and profile to chart`, ExitCode.BAD_INPUT);
  const htmlFile = resolve(io.cwd, out);
  if (extname(htmlFile) === '.md') throw new ConectaError(`--report ${out}: give the .html path; the .md is written beside it`, ExitCode.USAGE);
  await renderAndWrite(view, htmlFile);
  return { htmlFile, subtitle: view.subtitle, changes: view.changes.length };
}

/** Renders and writes one report (HTML, Markdown, chart SVGs); used by `report` and by `demo`. Prints nothing. */
export async function writeReport(dir: string, flags: ReportFlags, io: Io): Promise<WrittenReport> {
  const input = readReportInput(resolve(io.cwd, dir));
  if (flags.baseline && input.kind !== 'run') {
    throw new ConectaError('--baseline applies to a run report, not a capacity report', ExitCode.USAGE);
  }
  const baselineDir = flags.baseline ? resolve(io.cwd, flags.baseline) : undefined;
  const baseline = baselineDir ? (() => {
    const result = readRunResult(baselineDir);
    return { label: runLabel(baselineDir, result), result };
  })() : undefined;

  const htmlFile = flags.out ? resolve(io.cwd, flags.out) : defaultReportPath(input);
  if (extname(htmlFile) === '.md') throw new ConectaError(`--out ${flags.out}: give the .html path; the .md is written beside it`, ExitCode.USAGE);
  const base = basename(htmlFile, extname(htmlFile));
  const outDir = dirname(htmlFile);
  const mdFile = join(outDir, `${base}.md`);

  const levelRuns = input.kind === 'capacity' ? readLevelRuns(input.dir, input.result) : undefined;
  const verdict = input.kind === 'run'
    ? readVerdictView(input.dir, input.result, {
      cwd: io.cwd, judge: flags.judge === true || flags.thresholds !== undefined, thresholdsFile: flags.thresholds, baseline: baseline?.result,
    })
    : undefined;
  const historyFile = resolve(io.cwd, flags.history ?? DEFAULT_HISTORY_FILE);
  const history = input.kind === 'run' && existsSync(historyFile) ? readHistory(historyFile) : undefined;
  const view = reportView(input, { baseline, levelRuns, verdict, ...(history ? { history } : {}) });
  const rendered = await renderAndWrite(view, htmlFile);
  return {
    kind: input.kind,
    htmlFile,
    mdFile,
    chartFiles: rendered.chartFiles.map((c) => join(outDir, c.file)),
    htmlBytes: Buffer.byteLength(rendered.html),
    verdictLine: view.verdictLine,
  };
}
