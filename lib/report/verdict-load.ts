// Finds a run's verdict for its report: <run-dir>/verdict.json, written when the run was judged (gate, run --gate,
// a capacity ladder level). The report does not re-judge with whatever thresholds.json is in the cwd: a run never
// judged is shown as such, unless the user asks (`report --judge`), which judges through the gate and writes
// verdict.json like any judgement. Reads files: an edge.

import { existsSync } from 'node:fs';
import { judgeRuns, readVerdict, VERDICT_FILE } from '../gate/verdict-file.js';
import type { RunResult } from '../result/schema.js';
import { DEFAULT_THRESHOLDS_FILE, loadThresholds, thresholdsPath } from '../thresholds/load.js';
import { notJudged, verdictView, type VerdictView } from './verdict-view.js';

export { VERDICT_FILE };

export interface VerdictSources {
  /** Directory a relative thresholds file is looked up in (the user's cwd). */
  cwd: string;
  /** Judge now (even when verdict.json exists), with `thresholdsFile` or ./thresholds.json. */
  judge?: boolean;
  /** The thresholds file `judge` uses. */
  thresholdsFile?: string;
  baseline?: RunResult;
}

export function readVerdictView(dir: string, result: RunResult, src: VerdictSources): VerdictView {
  const kept = readVerdict(dir);
  if (!src.judge && kept) {
    return verdictView(kept, `${VERDICT_FILE} (judged ${kept.judgedAt} with ${kept.thresholdsFile})`);
  }
  if (!src.judge) return notJudged(`no ${VERDICT_FILE} in the run directory; \`conecta-load gate <run-dir>\` or \`report --judge\` judges it`);
  const name = src.thresholdsFile ?? DEFAULT_THRESHOLDS_FILE;
  const thresholds = thresholdsPath(src.cwd, name);
  if (!existsSync(thresholds)) return notJudged(`${name} not found`);
  const v = judgeRuns([dir], [result], loadThresholds(thresholds), src.baseline ? { baseline: src.baseline } : {});
  return verdictView(v, `judged by \`report\` with ${name} (${kept ? `replacing the run's ${VERDICT_FILE}` : `no ${VERDICT_FILE} in the run directory`})`);
}
