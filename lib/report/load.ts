// Reads what a report is made from: a run (result.json) or a capacity ladder (capacity.json), told apart by the
// file present (a directory) or by the `schema` key inside (a file). The reading edge of lib/report.

import { statSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { CAPACITY_FILE, levelPaths, readCapacity } from '../capacity/store.js';
import { CAPACITY_SCHEMA, CAPACITY_SCHEMA_V1, type CapacityResult } from '../capacity/schema.js';
import { RESULT_FILE, readRunResult } from '../result/store.js';
import { RUN_RESULT_SCHEMA, RUN_RESULT_SCHEMA_V1, type RunResult } from '../result/schema.js';
import { readJsonFile } from '../validate.js';

export type ReportInput =
  | { kind: 'run'; dir: string; file: string; result: RunResult }
  | { kind: 'capacity'; dir: string; file: string; result: CapacityResult };

/** A run or capacity directory, or the result.json / capacity.json inside one. */
export function readReportInput(path: string): ReportInput {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new ConectaError(`${path}: no such run or capacity directory`, ExitCode.BAD_INPUT);
  }
  if (isDir) {
    if (existsSync(join(path, CAPACITY_FILE))) return capacity(join(path, CAPACITY_FILE));
    if (existsSync(join(path, RESULT_FILE))) return run(join(path, RESULT_FILE));
    throw new ConectaError(`${path}: holds neither ${RESULT_FILE} nor ${CAPACITY_FILE}`, ExitCode.BAD_INPUT,
      'give a run directory (conecta-load run) or a capacity directory (conecta-load capacity run)');
  }
  const schema = (readJsonFile(path, ExitCode.BAD_INPUT) as { schema?: unknown } | null)?.schema;
  if (schema === CAPACITY_SCHEMA || schema === CAPACITY_SCHEMA_V1) return capacity(path);
  if (schema === RUN_RESULT_SCHEMA || schema === RUN_RESULT_SCHEMA_V1) return run(path);
  throw new ConectaError(
    `${path}: schema is ${JSON.stringify(schema)}, expected "${RUN_RESULT_SCHEMA}" or "${CAPACITY_SCHEMA}"`, ExitCode.BAD_INPUT);
}

function run(file: string): ReportInput {
  return { kind: 'run', dir: dirname(file), file, result: readRunResult(file) };
}

function capacity(file: string): ReportInput {
  return { kind: 'capacity', dir: dirname(file), file, result: readCapacity(file) };
}

/** Default output: report.html beside the input. */
export function defaultReportPath(input: ReportInput): string {
  return join(input.dir, 'report.html');
}

/** A short label for a run (its directory name and start time), for the baseline table. */
export function runLabel(dir: string, r: RunResult): string {
  return `${basename(dir)} (${r.meta.profile}, ${r.meta.startedAt})`;
}

/**
 * Each level's steady-window result (in its own directory, relative to capacity.json), by the level's users, for
 * the per-level insights; levels whose result cannot be read are left out (not fatal).
 */
export function readLevelRuns(capacityDir: string, c: CapacityResult): Map<number, RunResult> {
  const out = new Map<number, RunResult>();
  for (const l of c.levels) {
    const dir = levelPaths(capacityDir, l).level;
    if (!existsSync(join(dir, RESULT_FILE))) continue;
    try {
      out.set(l.users, readRunResult(dir));
    } catch {
      // A level's unreadable run only loses its per-level insights; the capacity figures stand on capacity.json.
    }
  }
  return out;
}
