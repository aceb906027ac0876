// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerRun: Register = (program) => {
  program.command('run').description('(not built yet)').action(() => {
    throw new ConectaError('run is not built yet', ExitCode.USAGE);
  });
};
