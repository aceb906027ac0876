// Chooses the view-model for an input (run or capacity) and the one line the CLI prints about its verdict.

import type { HistoryIndex } from '../history/schema.js';
import type { RunResult } from '../result/schema.js';
import { buildHistoryView } from './history-view.js';
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
  /** Run only: the history index; its charts join the report when it holds this scenario and profile. */
  history?: HistoryIndex;
}

export function buildReportView(input: ReportInput, opts: BuildOptions): BuiltView {
  if (input.kind === 'run') {
    const verdict = readVerdictView(input.dir, input.result, {
      cwd: opts.cwd, thresholdsFile: opts.thresholdsFile, baseline: opts.baseline?.result,
    });
    const view = buildRunView(input.result, { verdict, baseline: opts.baseline });
    const history = opts.history && buildHistoryView(opts.history, input.result.meta.scenario, input.result.meta.profile, input.dir);
    if (history) Object.assign(view, { history, charts: [...view.charts, ...history.charts] });
    return { ...view, verdictLine: `${STATUS_LABEL[verdict.status]} — ${verdict.headline}` };
  }
  const view = buildCapacityView(input.result, opts.levelRuns);
  return { ...view, verdictLine: `${view.answer.headline} Asserted table: ${view.assertionCounts}.` };
}
