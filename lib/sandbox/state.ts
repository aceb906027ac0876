// The stacks' per-port state files in `<cache>/sandbox-state/`: `<port>.json` for the embedded sandbox,
// `<port>.full.json` for the full stack (its every process and the options it started with). One module reads,
// writes and removes both, so which stack holds a port is known in one place (`stackAt` in control.ts).

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema, Static } from '@sinclair/typebox';
import { cacheRoot } from '../../sandbox/options.js';
import { writeJsonAtomic } from '../atomic-file.js';
import { ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { FullStackState } from './full/schema.js';
import { SandboxState } from './schema.js';

export function stateDir(env?: Readonly<Record<string, string | undefined>>): string {
  return join(cacheRoot(env), 'sandbox-state');
}

export const outFile = (port: number) => join(stateDir(), `${port}.out`);

interface StateFile<S extends TSchema> {
  file(port: number): string;
  read(port: number): Static<S> | undefined;
  write(s: Static<S> & { port: number }): void;
  remove(port: number): void;
}

function stateFile<S extends TSchema>(schema: S, suffix: string): StateFile<S> {
  const file = (port: number) => join(stateDir(), `${port}${suffix}`);
  return {
    file,
    read(port) {
      let data: unknown;
      try {
        data = readJsonFile(file(port), ExitCode.SANDBOX);
      } catch {
        return undefined; // absent or unreadable: nothing known runs there
      }
      return validateOrThrow(schema, data, file(port), ExitCode.SANDBOX);
    },
    write: (s) => writeJsonAtomic(file(s.port), s),
    remove: (port) => rmSync(file(port), { force: true }),
  };
}

const embedded = stateFile(SandboxState, '.json');
const full = stateFile(FullStackState, '.full.json');

export const readState = (port: number): SandboxState | undefined => embedded.read(port);
export const writeState = (s: SandboxState): void => embedded.write(s);
export const removeState = (port: number): void => embedded.remove(port);

export const fullStateFile = full.file;
export const readFullState = (port: number): FullStackState | undefined => full.read(port);
export const writeFullState = (s: FullStackState): void => full.write(s);
export const removeFullState = (port: number): void => full.remove(port);
