// Chooses the view-model for an input (run or capacity) and the one line the CLI prints about its verdict.

import type { RunResult } from '../result/schema.js';
import { buildCapacityView, type CapacityView } from './capacity-view.js';
import type { ReportInput } from './load.js';
import { buildRunView, type RunView } from './run-view.js';
import { readVerdictView } from './verdict-load.js';
import { STATUS_LABEL } from './verdict-view.js';

export type BuiltView = (RunView | CapacityView) & { verdictLine: string };

export interface BuildOptions {
  baseline?: { label: string; result: RunResult };
  /** The user's working directory (where ./thresholds.json is looked for). */
  cwd: string;
  /** Judge with this thresholds file rather than the run's verdict.json. */
  thresholdsFile?: string;
  /** Capacity only: each level's run result by its users, when the level's run directory could be read. */
  levelRuns?: ReadonlyMap<number, RunResult>;
}

export function buildReportView(input: ReportInput, opts: BuildOptions): BuiltView {
  if (input.kind === 'run') {
    const verdict = readVerdictView(input.dir, input.result, {
      cwd: opts.cwd, thresholdsFile: opts.thresholdsFile, baseline: opts.baseline?.result,
    });
    const view = buildRunView(input.result, { verdict, baseline: opts.baseline });
    return { ...view, verdictLine: `${STATUS_LABEL[verdict.status]} — ${verdict.headline}` };
  }
  const view = buildCapacityView(input.result, opts.levelRuns);
  return { ...view, verdictLine: `${view.answer.headline} Asserted table: ${view.assertionCounts}.` };
}
