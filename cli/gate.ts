// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerGate: Register = (program) => {
  program.command('gate').description('(not built yet)').action(() => {
    throw new ConectaError('gate is not built yet', ExitCode.USAGE);
  });
};
