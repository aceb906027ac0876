// <run-dir>/verdict.json: the one place a run's judgement is made and kept. `gate`, `run --gate` and every capacity
// ladder level judge through judgeRuns, which writes the file; the report and the ladder only read it back, so a
// run is shown with the thresholds it was judged with (named, with their SHA-256), not with whatever is in the cwd.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../atomic-file.js';
import { ExitCode } from '../exit-codes.js';
import type { RunResult } from '../result/schema.js';
import type { Thresholds } from '../thresholds/load.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { judge, type JudgeOptions } from './judge.js';
import { Verdict } from './schema.js';

export const VERDICT_FILE = 'verdict.json';

/** Judges the runs of `dirs` (one sample) and writes the verdict into each of them; `refine` adds what only the
 *  caller knows (the history's change points) before the file is written. */
export function judgeRuns(
  dirs: readonly string[],
  results: readonly RunResult[],
  t: Thresholds,
  opts: JudgeOptions = {},
  refine?: (v: Verdict) => Verdict,
): Verdict {
  const judged = judge(results, t, opts);
  const v = refine ? refine(judged) : judged;
  for (const d of dirs) writeJsonAtomic(join(d, VERDICT_FILE), v);
  return v;
}

/** The verdict a run directory holds, validated; undefined when the run was never judged. */
export function readVerdict(dir: string): Verdict | undefined {
  const file = join(dir, VERDICT_FILE);
  if (!existsSync(file)) return undefined;
  return validateOrThrow(Verdict, readJsonFile(file, ExitCode.BAD_INPUT), file, ExitCode.BAD_INPUT);
}
