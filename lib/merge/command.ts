// The edge of `merge`: reads each runner's result (a run directory, a result.json, or a raw k6 JSON output that is
// ingested on the way, as k6-operator's runners leave them), merges them, writes <out>/result.json.

import { createHash } from 'node:crypto';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { ingestK6Output } from '../ingest/ingest.js';
import { seriesScenario } from '../ingest/series-name.js';
import type { Io } from '../io.js';
import { RUN_RESULT_SCHEMA, RUN_RESULT_SCHEMA_V1, type RunResult } from '../result/schema.js';
import { readRunResult, RESULT_FILE, resultPath, writeRunResult } from '../result/store.js';
import { readJsonFile } from '../validate.js';
import { duplicateRefusal, refuse, refuseAlways, schemaRefusal, type InputIdentity, type MergeInput } from './compat.js';
import { mergeResults } from './merge.js';

export interface MergeCommandOptions {
  out: string;
  force?: boolean;
  /** Recorded for raw k6 outputs (a result.json carries its own). */
  scenario?: string;
  profile?: string;
  scale?: number;
}

function isRawK6Output(path: string): boolean {
  try {
    return statSync(path).isFile() && basename(path) !== RESULT_FILE;
  } catch {
    return false;
  }
}

async function identityOf(source: string, file: string): Promise<InputIdentity> {
  let realpath: string;
  try {
    realpath = realpathSync(file);
  } catch {
    throw new ConectaError(`${source}: no such run directory or result file`, ExitCode.BAD_INPUT);
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(realpath)) hash.update(chunk as Buffer);
  return { source, realpath, sha256: hash.digest('hex') };
}

export async function mergeRuns(sources: readonly string[], opts: MergeCommandOptions, io: Io): Promise<{ dir: string; result: RunResult }> {
  if (sources.length === 0) throw new ConectaError('merge needs at least one run directory', ExitCode.USAGE);
  const out = resolve(io.cwd, opts.out);
  const paths = sources.map((s) => resolve(io.cwd, s));
  const identities: InputIdentity[] = [];
  for (const [i, p] of paths.entries()) {
    const file = isRawK6Output(p) ? p : resultPath(p);
    if (file === join(out, RESULT_FILE)) throw new ConectaError(`--out ${opts.out} is one of the inputs: the merge would overwrite it`, ExitCode.USAGE);
    identities.push(await identityOf(sources[i]!, file));
  }
  const duplicate = duplicateRefusal(identities);
  if (duplicate !== undefined) refuseAlways(duplicate);

  const results = paths.filter((p) => !isRawK6Output(p));
  if (!opts.force) {
    const reason = schemaRefusal(results.map((p) => ({
      source: sources[paths.indexOf(p)]!,
      // A v1 result is read upgraded (lib/result/store.ts): it merges with v2 like any v2.
      schema: sameAsCurrent((readJsonFile(resultPath(p), ExitCode.BAD_INPUT) as { schema?: unknown } | null)?.schema),
    })));
    if (reason !== undefined) refuse(reason);
  }

  const inputs: MergeInput[] = [];
  for (const [i, p] of paths.entries()) {
    const result = isRawK6Output(p) ? await rawResult(p, sources[i]!, opts) : readRunResult(p);
    inputs.push({ source: sources[i]!, result });
  }
  const result = mergeResults(inputs, { force: opts.force });
  writeRunResult(out, result);
  return { dir: out, result };
}

/** A runner's raw k6 output, recorded under the scenario given or else named by its k6 scenario tags, as `analyze` does:
 *  the runners of one test carry the same tags, whatever their files are called. */
async function rawResult(file: string, source: string, opts: MergeCommandOptions): Promise<RunResult> {
  const { whole } = await ingestK6Output(file, {
    source: 'analyze',
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
  });
  whole.meta.scenario = seriesScenario({ given: opts.scenario, tags: Object.keys(whole.scenarios ?? {}), source, flag: '--scenario' }).scenario;
  return whole;
}

const sameAsCurrent = (schema: unknown): unknown => (schema === RUN_RESULT_SCHEMA_V1 ? RUN_RESULT_SCHEMA : schema);
