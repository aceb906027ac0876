// Reads, writes and removes the per-port sandbox state file; tells whether its process is still alive.

import { rmSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { join } from 'node:path';
import { cacheRoot } from '../../sandbox/options.js';
import { ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { SandboxState } from './schema.js';

export function stateDir(env?: Readonly<Record<string, string | undefined>>): string {
  return join(cacheRoot(env), 'sandbox-state');
}

export const stateFile = (port: number) => join(stateDir(), `${port}.json`);
export const outFile = (port: number) => join(stateDir(), `${port}.out`);

export function readState(port: number): SandboxState | undefined {
  const file = stateFile(port);
  let data: unknown;
  try {
    data = readJsonFile(file, ExitCode.SANDBOX);
  } catch {
    return undefined; // absent or unreadable: nothing known runs there
  }
  return validateOrThrow(SandboxState, data, file, ExitCode.SANDBOX);
}

export function writeState(s: SandboxState): void {
  writeJsonAtomic(stateFile(s.port), s);
}

export function removeState(port: number): void {
  rmSync(stateFile(port), { force: true });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
