// `conecta-load report <run-dir | capacity-dir> [--out file]`: flags and the three lines it prints; the
// rendering and writing is lib/report/write.ts.

import { DEFAULT_HISTORY_FILE } from '../lib/history/store.js';
import type { Register } from '../lib/register.js';
import { writeReport, type ReportFlags } from '../lib/report/write.js';

export const registerReport: Register = (program, io) => {
  program
    .command('report')
    .description('Render a run or a capacity ladder as one self-contained HTML page and a Markdown page')
    .argument('<dir>', 'run directory (result.json) or capacity directory (capacity.json), or either file')
    .option('--out <file>', 'HTML file to write; the Markdown goes beside it with .md (default: <dir>/report.html)')
    .option('--baseline <run-dir>', 'compare a run with this earlier run')
    .option('--history <file>', `run-history index charted in a run report (default ${DEFAULT_HISTORY_FILE})`)
    .option('--judge', 'judge the run now with ./thresholds.json (or --thresholds), writing its verdict.json; by default the report shows the verdict the run was judged with')
    .option('--thresholds <file>', 'with --judge: the thresholds file (implies --judge)')
    .action(async (dir: string, flags: ReportFlags) => {
      const r = await writeReport(dir, flags, io);
      io.stdout(`${r.kind} report: ${r.htmlFile} (${Math.ceil(r.htmlBytes / 1024)} KB)\n`);
      io.stdout(`markdown:   ${r.mdFile} (+ ${r.chartFiles.length} charts as .svg)\n`);
      io.stdout(`${r.kind === 'run' ? 'verdict:   ' : 'answer:    '} ${r.verdictLine}\n`);
    });
};
