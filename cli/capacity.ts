// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerCapacity: Register = (program) => {
  program.command('capacity').description('(not built yet)').action(() => {
    throw new ConectaError('capacity is not built yet', ExitCode.USAGE);
  });
};
