// PLACEHOLDER: replaced by the owner of this command.
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import type { Register } from './main.js';

export const registerBuild: Register = (program) => {
  program.command('build').description('(not built yet)').action(() => {
    throw new ConectaError('build is not built yet', ExitCode.USAGE);
  });
};
