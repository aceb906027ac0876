// Reads and writes run results (`<dir>/result.json`), validated against the v1 schema.

import { rmSync, statSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { join } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { nullProto } from '../own-keys.js';
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
  return keyedByName(validateOrThrow(RunResult, data, file, ExitCode.BAD_INPUT));
}

/**
 * The maps keyed by names from the k6 script, without a prototype: a reader comparing two runs asks
 * `r.endpoints[name]` for a name of the other run, and `constructor` or `toString` must then be absent, not a function.
 */
function keyedByName(r: RunResult): RunResult {
  const stats = (s: RunResult['overall']) => Object.assign(s, { statusCodes: nullProto(s.statusCodes) });
  const each = <T>(o: Record<string, T>, f: (v: T) => T) => {
    const out = nullProto(o);
    for (const k of Object.keys(out)) out[k] = f(out[k]!);
    return out;
  };
  stats(r.overall);
  r.endpoints = each(r.endpoints, stats);
  if (r.scenarios) r.scenarios = each(r.scenarios, stats);
  r.checks = nullProto(r.checks);
  r.metrics = nullProto(r.metrics);
  r.meta.labels = nullProto(r.meta.labels);
  return r;
}

/**
 * Writes `<dir>/result.json`; a verdict.json left there judged the run that was there before, so it goes (the
 * report would otherwise show that run's verdict above this run's figures). The gate's file, named here as a literal
 * because result/ sits below gate/.
 */
export function writeRunResult(dir: string, result: RunResult): string {
  const written = writeJsonAtomic(join(dir, RESULT_FILE), result);
  rmSync(join(dir, 'verdict.json'), { force: true });
  return written;
}
