// `conecta-load history`: list judged runs with their key figures, find change points in their series
// (`--changes`), prune old entries (`--prune-keep`), from the run-history index.

import { resolve } from 'node:path';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { DEFAULT_DETECTOR, describeDetector } from '../lib/history/changepoints.js';
import { renderChanges, renderHistory } from '../lib/history/render.js';
import { changesJson, HISTORY_METRICS, historyChanges, type HistoryMetric } from '../lib/history/series.js';
import { DEFAULT_HISTORY_FILE, pruneHistoryFile, readHistory } from '../lib/history/store.js';
import { writeHistoryReport } from '../lib/report/write.js';
import type { Register } from '../lib/register.js';
import { positiveInt } from './flags.js';

interface HistoryFlags {
  scenario?: string;
  profile?: string;
  limit: number;
  history: string;
  json?: boolean;
  changes?: boolean;
  metric?: string;
  endpoint?: string;
  pruneKeep?: number;
  report?: string;
}

export const registerHistory: Register = (program, io) => {
  program
    .command('history')
    .description('list judged runs (verdict, requests, P95, P99, error rate, throughput); --changes finds change points')
    .option('--scenario <name>', 'only this scenario')
    .option('--profile <name>', 'only this profile')
    .option('--limit <n>', 'the most recent n runs', positiveInt('--limit'), 20)
    .option('--history <file>', 'run-history index', DEFAULT_HISTORY_FILE)
    .option('--json', 'print the index entries (or, with --changes, the change points) as JSON')
    .option('--changes', `change points in each series, per endpoint and overall (${describeDetector()})`)
    .option('--metric <name>', `with --changes: only this metric (${HISTORY_METRICS.join(', ')})`)
    .option('--endpoint <name>', 'with --changes: only this endpoint ("overall" for the run as a whole)')
    .option('--report <file>', 'write the history report (HTML, and Markdown with SVG charts beside it) of one scenario and profile (default: the newest run\'s)')
    .option('--prune-keep <n>', 'remove all but the n most recent entries of each scenario and profile', positiveInt('--prune-keep'))
    .action(async (o: HistoryFlags) => {
      const file = resolve(io.cwd, o.history);
      const only = {
        ...(o.scenario !== undefined ? { scenario: o.scenario } : {}),
        ...(o.profile !== undefined ? { profile: o.profile } : {}),
      };
      if (o.pruneKeep !== undefined) {
        const removed = await pruneHistoryFile(file, o.pruneKeep);
        io.stdout(`history: removed ${removed} entries, kept the ${o.pruneKeep} most recent of each scenario and profile (${file})\n`);
        return;
      }
      const h = readHistory(file);
      if (o.report !== undefined) {
        const r = await writeHistoryReport(h, file, only, o.report, io);
        io.stdout(`history report: ${r.htmlFile} (${r.subtitle}; ${r.changes} change points)\n`);
        return;
      }
      if (o.changes) {
        if (o.metric !== undefined && !(HISTORY_METRICS as readonly string[]).includes(o.metric)) {
          throw new ConectaError(`--metric: "${o.metric}" is not one of ${HISTORY_METRICS.join(', ')}`, ExitCode.USAGE);
        }
        const cs = historyChanges(h, {
          ...only,
          ...(o.metric !== undefined ? { metric: o.metric as HistoryMetric } : {}),
          ...(o.endpoint !== undefined ? { endpoint: o.endpoint } : {}),
        });
        io.stdout(o.json ? JSON.stringify(changesJson(cs), null, 2) + '\n' : renderChanges(cs, describeDetector(DEFAULT_DETECTOR)));
        return;
      }
      if (o.json) {
        io.stdout(JSON.stringify(h.runs.slice(-o.limit), null, 2) + '\n');
        return;
      }
      io.stdout(renderHistory(h, { limit: o.limit, ...only }));
    });
};
