// `conecta-load report <run-dir | capacity-dir> [--out file]`: writes report.html (self-contained) and report.md
// (with its charts as .svg files beside it) next to the input, or where --out says.

import { writeFileAtomic } from '../lib/atomic-file.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { existsSync } from 'node:fs';
import { DEFAULT_HISTORY_FILE, readHistory } from '../lib/history/store.js';
import { readRunResult } from '../lib/result/store.js';
import { buildReportView } from '../lib/report/build.js';
import { defaultReportPath, readLevelRuns, readReportInput, runLabel } from '../lib/report/load.js';
import { renderReport } from '../lib/report/render.js';
import type { Io } from '../lib/io.js';
import type { Register } from './main.js';

export interface ReportFlags {
  out?: string;
  baseline?: string;
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

  const levelRuns = input.kind === 'capacity' ? readLevelRuns(input.dir, input.result, io.cwd) : undefined;
  const historyFile = resolve(io.cwd, flags.history ?? DEFAULT_HISTORY_FILE);
  const history = input.kind === 'run' && existsSync(historyFile) ? readHistory(historyFile) : undefined;
  const view = buildReportView(input, { baseline, cwd: io.cwd, thresholdsFile: flags.thresholds, levelRuns, ...(history ? { history } : {}) });
  const rendered = await renderReport(view, base);
  for (const c of rendered.chartFiles) writeFileAtomic(join(outDir, c.file), c.svg);
  writeFileAtomic(htmlFile, rendered.html);
  writeFileAtomic(mdFile, rendered.markdown);
  return {
    kind: input.kind,
    htmlFile,
    mdFile,
    chartFiles: rendered.chartFiles.map((c) => join(outDir, c.file)),
    htmlBytes: Buffer.byteLength(rendered.html),
    verdictLine: view.verdictLine,
  };
}

export const registerReport: Register = (program, io) => {
  program
    .command('report')
    .description('Render a run or a capacity ladder as one self-contained HTML page and a Markdown page')
    .argument('<dir>', 'run directory (result.json) or capacity directory (capacity.json), or either file')
    .option('--out <file>', 'HTML file to write; the Markdown goes beside it with .md (default: <dir>/report.html)')
    .option('--baseline <run-dir>', 'compare a run with this earlier run')
    .option('--history <file>', 'run-history index charted in a run report', DEFAULT_HISTORY_FILE)
    .option('--thresholds <file>', 'judge the run with this thresholds file (default: the run\'s verdict.json, else ./thresholds.json)')
    .action(async (dir: string, flags: ReportFlags) => {
      const r = await writeReport(dir, flags, io);
      io.stdout(`${r.kind} report: ${r.htmlFile} (${Math.ceil(r.htmlBytes / 1024)} KB)\n`);
      io.stdout(`markdown:   ${r.mdFile} (+ ${r.chartFiles.length} charts as .svg)\n`);
      io.stdout(`${r.kind === 'run' ? 'verdict:   ' : 'answer:    '} ${r.verdictLine}\n`);
    });
};
