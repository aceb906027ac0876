// `conecta-load analyze`: ingest any k6 JSON output (plain or gzip, from any script) into a run result.

import { resolve } from 'node:path';
import { ingestK6Output } from '../lib/ingest/ingest.js';
import { formatSummary } from '../lib/ingest/summary.js';
import { writeRunResult } from '../lib/result/store.js';
import type { Register } from '../lib/register.js';

export const registerAnalyze: Register = (program, io) => {
  program
    .command('analyze')
    .description('ingest a k6 JSON output file (k6 run --out json=FILE, plain or .gz) into <dir>/result.json')
    .argument('<file>', 'k6 JSON output, plain or gzip (detected by content)')
    .requiredOption('--out <dir>', 'directory to write result.json into')
    .option('--scenario <name>', 'scenario name to record (default: the file name)')
    .option('--profile <name>', 'profile name to record', 'unknown')
    .option('--target <url>', 'base URL the load went to (default: the origin of the first request URL)')
    .action(async (file: string, o: { out: string; scenario?: string; profile: string; target?: string }) => {
      const input = resolve(io.cwd, file);
      const result = await ingestK6Output(input, {
        source: 'analyze',
        profile: o.profile,
        ...(o.scenario !== undefined ? { scenario: o.scenario } : {}),
        ...(o.target !== undefined ? { target: o.target } : {}),
      });
      const written = writeRunResult(resolve(io.cwd, o.out), result);
      io.stdout(formatSummary(result) + '\n');
      io.stdout(`result: ${written}\n`);
    });
};
