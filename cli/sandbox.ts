// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerSandbox: Register = (program) => {
  program.command('sandbox').description('(not built yet)').action(() => {
    throw new ConectaError('sandbox is not built yet', ExitCode.USAGE);
  });
};
