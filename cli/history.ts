// `conecta-load history`: list judged runs with their key figures, from the run-history index.

import { resolve } from 'node:path';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { renderHistory } from '../lib/history/render.js';
import { DEFAULT_HISTORY_FILE, readHistory } from '../lib/history/store.js';
import type { Register } from '../lib/register.js';

export const registerHistory: Register = (program, io) => {
  program
    .command('history')
    .description('list judged runs (verdict, requests, P95, P99, error rate, throughput)')
    .option('--scenario <name>', 'only this scenario')
    .option('--profile <name>', 'only this profile')
    .option('--limit <n>', 'the most recent n runs', '20')
    .option('--history <file>', 'run-history index', DEFAULT_HISTORY_FILE)
    .option('--json', 'print the index entries as JSON')
    .action((o: { scenario?: string; profile?: string; limit: string; history: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new ConectaError(`--limit: "${o.limit}" is not a positive integer`, ExitCode.USAGE);
      const h = readHistory(resolve(io.cwd, o.history));
      if (o.json) {
        io.stdout(JSON.stringify(h.runs.slice(-limit), null, 2) + '\n');
        return;
      }
      io.stdout(
        renderHistory(h, {
          limit,
          ...(o.scenario !== undefined ? { scenario: o.scenario } : {}),
          ...(o.profile !== undefined ? { profile: o.profile } : {}),
        }),
      );
    });
};
