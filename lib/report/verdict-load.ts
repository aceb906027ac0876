// Finds a run's verdict: <run-dir>/verdict.json when the gate wrote one; else the run is judged now with the gate
// (judge + thresholds) when a thresholds file is at hand; else it is reported as not judged. Reads files: an edge.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode } from '../exit-codes.js';
import { judge } from '../gate/judge.js';
import { Verdict } from '../gate/schema.js';
import type { RunResult } from '../result/schema.js';
import { DEFAULT_THRESHOLDS_FILE, loadThresholds } from '../thresholds/load.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { notJudged, verdictView, type VerdictView } from './verdict-view.js';

export const VERDICT_FILE = 'verdict.json';

export interface VerdictSources {
  /** Directory a relative thresholds file is looked up in (the user's cwd). */
  cwd: string;
  /** An explicit thresholds file: judge now even when verdict.json exists. */
  thresholdsFile?: string;
  baseline?: RunResult;
}

export function readVerdictView(dir: string, result: RunResult, src: VerdictSources): VerdictView {
  const file = join(dir, VERDICT_FILE);
  if (!src.thresholdsFile && existsSync(file)) {
    const v = validateOrThrow(Verdict, readJsonFile(file, ExitCode.BAD_INPUT), file, ExitCode.BAD_INPUT);
    return verdictView(v, `${VERDICT_FILE} (judged ${v.judgedAt} with ${v.thresholdsFile})`);
  }
  const thresholds = resolve(src.cwd, src.thresholdsFile ?? DEFAULT_THRESHOLDS_FILE);
  if (!existsSync(thresholds)) {
    return src.thresholdsFile ? notJudged(`${src.thresholdsFile} not found`) : notJudged();
  }
  const v = judge(result, loadThresholds(thresholds), src.baseline ? { baseline: src.baseline } : {});
  return verdictView(v, `judged by \`report\` with ${src.thresholdsFile ?? DEFAULT_THRESHOLDS_FILE} (no ${VERDICT_FILE} in the run directory)`);
}
