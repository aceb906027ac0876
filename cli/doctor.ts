// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerDoctor: Register = (program) => {
  program.command('doctor').description('(not built yet)').action(() => {
    throw new ConectaError('doctor is not built yet', ExitCode.USAGE);
  });
};
