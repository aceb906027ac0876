// Reads and writes run results (`<dir>/result.json`), validated against the v2 schema (v1 files are upgraded on read).

import { statSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { join } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { RUN_RESULT_SCHEMA, RUN_RESULT_SCHEMA_V1, RunResult } from './schema.js';

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
  let data = readJsonFile(file, ExitCode.BAD_INPUT);
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema === RUN_RESULT_SCHEMA_V1) data = upgradeV1(data as V1);
  else if (schema !== RUN_RESULT_SCHEMA) {
    throw new ConectaError(
      `${file}: schema is ${JSON.stringify(schema)}, expected "${RUN_RESULT_SCHEMA}"`,
      ExitCode.BAD_INPUT,
    );
  }
  return validateOrThrow(RunResult, data, file, ExitCode.BAD_INPUT);
}

type Gauge = { value: number; count: number };
type V1 = { schema: string; meta?: { host?: { cpus?: number } }; metrics?: Record<string, Gauge | undefined> };

/** A v1 result: the generator's CPU moves from its two pseudo-metrics to the typed `generator` field. */
export function upgradeV1(r: V1): unknown {
  const { k6_cpu_ratio: ratio, k6_cpu_cores_mean: mean, ...metrics } = r.metrics ?? {};
  const cores = r.meta?.host?.cpus ?? 0;
  const generator = ratio && mean && cores >= 1 && ratio.count >= 1
    ? { generator: { peakCores: ratio.value * cores, meanCores: mean.value, cores, samples: ratio.count } }
    : {};
  return { ...r, schema: RUN_RESULT_SCHEMA, ...(r.metrics ? { metrics } : {}), ...generator };
}

export function writeRunResult(dir: string, result: RunResult): string {
  return writeJsonAtomic(join(dir, RESULT_FILE), result);
}
