// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerAnalyze: Register = (program) => {
  program.command('analyze').description('(not built yet)').action(() => {
    throw new ConectaError('analyze is not built yet', ExitCode.USAGE);
  });
};
