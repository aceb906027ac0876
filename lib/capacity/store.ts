// Reads and writes `capacity.json`, validated against the capacity v2 schema; a level's paths resolve against it.

import { statSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { dirname, join, resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { CAPACITY_SCHEMA, CAPACITY_SCHEMA_V1, CapacityResult, type Level } from './schema.js';

export const CAPACITY_FILE = 'capacity.json';

/** Accepts a capacity output directory or a capacity.json path. */
export function capacityPath(dirOrFile: string): string {
  try {
    return statSync(dirOrFile).isDirectory() ? join(dirOrFile, CAPACITY_FILE) : dirOrFile;
  } catch {
    throw new ConectaError(`${dirOrFile}: no such capacity directory or file`, ExitCode.BAD_INPUT);
  }
}

export function readCapacity(dirOrFile: string): CapacityResult {
  const file = capacityPath(dirOrFile);
  const data = readJsonFile(file, ExitCode.BAD_INPUT);
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema === CAPACITY_SCHEMA_V1) {
    throw new ConectaError(`${file}: ${CAPACITY_SCHEMA_V1} is an older format (its level paths are not relative to it); run the ladder again`, ExitCode.BAD_INPUT);
  }
  if (schema !== CAPACITY_SCHEMA) {
    throw new ConectaError(`${file}: schema is ${JSON.stringify(schema)}, expected "${CAPACITY_SCHEMA}"`, ExitCode.BAD_INPUT);
  }
  return validateOrThrow(CapacityResult, data, file, ExitCode.BAD_INPUT);
}

export function writeCapacity(dir: string, result: CapacityResult): string {
  return writeJsonAtomic(join(dir, CAPACITY_FILE), result);
}

/** A level's directories, absolute: `capacity` is the capacity directory or its capacity.json. */
export function levelPaths(capacity: string, l: Pick<Level, 'runDir' | 'dir'>): { run: string; level: string } {
  const base = capacityPath(capacity) === capacity ? dirname(capacity) : capacity;
  return { run: resolve(base, l.runDir), level: resolve(base, l.dir) };
}
