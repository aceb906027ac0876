// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerHistory: Register = (program) => {
  program.command('history').description('(not built yet)').action(() => {
    throw new ConectaError('history is not built yet', ExitCode.USAGE);
  });
};
