// Reads and writes the full stack's per-port state file beside the embedded sandbox's.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../atomic-file.js';
import { ExitCode } from '../../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../../validate.js';
import { stateDir } from '../state.js';
import { FullStackState } from './schema.js';

export const fullStateFile = (port: number) => join(stateDir(), `${port}.full.json`);

export function readFullState(port: number): FullStackState | undefined {
  const file = fullStateFile(port);
  let data: unknown;
  try {
    data = readJsonFile(file, ExitCode.SANDBOX);
  } catch {
    return undefined;
  }
  return validateOrThrow(FullStackState, data, file, ExitCode.SANDBOX);
}

export function writeFullState(s: FullStackState): void {
  writeJsonAtomic(fullStateFile(s.port), s);
}

export function removeFullState(port: number): void {
  rmSync(fullStateFile(port), { force: true });
}
