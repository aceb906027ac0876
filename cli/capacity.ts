// `conecta-load capacity`: `fit` fits the USL to a CSV; `run` measures a load ladder and sizes the stack.

import { readFileSync } from 'node:fs';
import { parseUslCsv } from '../lib/capacity/csv.js';
import { formatUslFit, uslFitJson } from '../lib/capacity/format.js';
import { fitUsl } from '../lib/capacity/usl.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ConectaError(`${file}: ${reason}`, ExitCode.BAD_INPUT);
  }
}

export const registerCapacity: Register = (program, io) => {
  const capacity = program.command('capacity').description('measure a load ladder, fit scalability models, size the stack');

  capacity
    .command('fit')
    .description('fit the Universal Scalability Law to a concurrency,throughput CSV')
    .requiredOption('--csv <file>', 'CSV with concurrency and throughput columns (header optional)')
    .option('--json', 'print a JSON object (sigma, kappa, lambda, peakConcurrency, maxThroughput, rSquared)')
    .action((o: { csv: string; json?: boolean }) => {
      const fit = fitUsl(parseUslCsv(readText(o.csv), o.csv));
      io.stdout(o.json ? JSON.stringify(uslFitJson(fit), null, 2) + '\n' : formatUslFit(fit));
    });
};
