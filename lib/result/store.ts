// Reads and writes run results (`<dir>/result.json`), validated against the v1 schema.

import { statSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { join } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { RUN_RESULT_SCHEMA, RunResult } from './schema.js';

export const RESULT_FILE = 'result.json';

/** Accepts a run directory or a result.json path. */
export function resultPath(dirOrFile: string): string {
  try {
    return statSync(dirOrFile).isDirectory() ? join(dirOrFile, RESULT_FILE) : dirOrFile;
  } catch {
    throw new ConectaError(`${dirOrFile}: no such run directory or result file`, ExitCode.BAD_INPUT);
  }
}

export function readRunResult(dirOrFile: string): RunResult {
  const file = resultPath(dirOrFile);
  const data = readJsonFile(file, ExitCode.BAD_INPUT);
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== RUN_RESULT_SCHEMA) {
    throw new ConectaError(
      `${file}: schema is ${JSON.stringify(schema)}, expected "${RUN_RESULT_SCHEMA}"`,
      ExitCode.BAD_INPUT,
    );
  }
  return validateOrThrow(RunResult, data, file, ExitCode.BAD_INPUT);
}

export function writeRunResult(dir: string, result: RunResult): string {
  return writeJsonAtomic(join(dir, RESULT_FILE), result);
}
