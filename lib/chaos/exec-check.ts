// Before any load: every exec action's command exists and may be run, so a typo fails the plan (exit 2) instead of
// failing mid-run. The edge half of the plan check (plan.ts is pure).

import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { executableFile as runnable } from '../sandbox/process.js';
import { plain } from '../text-escape.js';
import type { PlannedAction } from './plan.js';

/** Where `command` would be found as execFile finds it (a path as given, else the first PATH entry that has it). */
export function findCommand(command: string, cwd: string, path = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) {
    const file = isAbsolute(command) ? command : resolve(cwd, command);
    return runnable(file) ? file : undefined;
  }
  for (const dir of path.split(delimiter)) {
    if (dir !== '' && runnable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Throws a one-line usage error for the first exec action whose command cannot be run. */
export function checkExecCommands(plan: readonly PlannedAction[], cwd: string, path = process.env.PATH ?? ''): void {
  for (const p of plan) {
    if (p.action.kind !== 'exec') continue;
    const cmd = p.action.argv[0]!;
    if (findCommand(cmd, cwd, path) === undefined) {
      throw new ConectaError(`chaos "${plain(p.source).slice(0, 80)}": no command "${plain(cmd).slice(0, 80)}" ${cmd.includes('/') ? 'that may be run' : 'on PATH'}`, ExitCode.USAGE);
    }
  }
}
