// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerReport: Register = (program) => {
  program.command('report').description('(not built yet)').action(() => {
    throw new ConectaError('report is not built yet', ExitCode.USAGE);
  });
};
