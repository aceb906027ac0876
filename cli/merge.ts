// `conecta-load merge`: one result.json from the runners of one test (k6-operator's parallel runners, `run --segments`).

import { formatSummary } from '../lib/ingest/summary.js';
import { mergeRuns } from '../lib/merge/command.js';
import type { Register } from '../lib/register.js';
import { positive } from './flags.js';

export const registerMerge: Register = (program, io) => {
  program
    .command('merge')
    .description('merge the results of runners that ran one test at the same time into one result.json')
    .argument('<run...>', 'run directories, result.json files, or raw k6 JSON outputs (plain or .gz)')
    .requiredOption('--out <dir>', 'directory to write the merged result.json into')
    .option('--force', 'merge even when the inputs do not look like one test')
    .option('--scenario <name>', 'scenario to record for raw k6 outputs (default: their k6 scenario tags)')
    .option('--profile <name>', 'profile to record for raw k6 outputs')
    .option('--scale <f>', 'scale to record for raw k6 outputs', positive('--scale'))
    .action(async (runs: string[], o: { out: string; force?: boolean; scenario?: string; profile?: string; scale?: number }) => {
      const { dir, result } = await mergeRuns(runs, o, io);
      io.stdout(formatSummary(result) + '\n');
      io.stdout(`merged ${runs.length} runners: ${dir}/result.json\n`);
    });
};
