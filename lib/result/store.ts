// Reads and writes run results (`<dir>/result.json`), validated against the v2 schema (v1 files are upgraded on read).

import { rmSync, statSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { join } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { decodeHistogram } from '../histogram.js';
import { nullProto } from '../own-keys.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { RUN_RESULT_SCHEMA, RUN_RESULT_SCHEMA_V1, RunResult } from './schema.js';

export const RESULT_FILE = 'result.json';

/** Accepts a run directory or a result.json path. */
export function resultPath(dirOrFile: string): string {
  try {
    return statSync(dirOrFile).isDirectory() ? join(dirOrFile, RESULT_FILE) : dirOrFile;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e; // EACCES, EIO…: the file system's refusal, named at the edge
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
  const r = validateOrThrow(RunResult, data, file, ExitCode.BAD_INPUT);
  checkHistograms(r, file);
  return keyedByName(r);
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

/** Compressed base64 as lib/histogram.ts writes it; anything else fails later, deep in a merge or a percentile. */
const HISTOGRAM = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Every histogram string is base64 of a whole number of bytes, and the request ones decode: else exit 7 naming the key. */
function checkHistograms(r: RunResult, file: string): void {
  const bad = (key: string, why: string): never => {
    throw new ConectaError(`${file}: ${key}: ${why}`, ExitCode.BAD_INPUT);
  };
  const check = (key: string, h: string | undefined, decode: boolean) => {
    if (h === undefined || h === '') return;
    if (!HISTOGRAM.test(h)) bad(key, 'not a histogram (base64 of the wrong length or alphabet)');
    if (!decode) return;
    try {
      decodeHistogram(h);
    } catch (e) {
      bad(key, `not a histogram (${(e as Error).message})`);
    }
  };
  check('overall.histogram', r.overall.histogram, true);
  for (const [k, s] of Object.entries(r.endpoints)) check(`endpoints.${k}.histogram`, s.histogram, true);
  for (const [k, s] of Object.entries(r.scenarios ?? {})) check(`scenarios.${k}.histogram`, s.histogram, false);
  for (const [k, m] of Object.entries(r.metrics)) check(`metrics.${k}.histogram`, m.histogram, false);
  r.timeline.forEach((p, i) => check(`timeline.${i}.histogram`, p.histogram, false));
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
