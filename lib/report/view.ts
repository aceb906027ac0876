// Chooses the view-model for an input (run or capacity) and the one line the CLI prints about its verdict. Pure:
// the run's verdict is read (lib/report/verdict-load.ts) by the caller and passed in.

import type { HistoryIndex } from '../history/schema.js';
import type { RunResult } from '../result/schema.js';
import { buildHistoryView } from './history-view.js';
import { buildCapacityView, type CapacityView } from './capacity-view.js';
import type { ReportInput } from './load.js';
import { buildRunView, type RunView } from './run-view.js';
import { notJudged, STATUS_LABEL, type VerdictView } from './verdict-view.js';

export type ReportView = (RunView | CapacityView) & { verdictLine: string };

export interface ViewOptions {
  baseline?: { label: string; result: RunResult };
  /** Run only: the run's verdict (from its verdict.json); not judged when absent. */
  verdict?: VerdictView;
  /** Capacity only: each level's run result by its users, when the level's run directory could be read. */
  levelRuns?: ReadonlyMap<number, RunResult>;
  /** Run only: the history index; its charts join the report when it holds this scenario and profile. */
  history?: HistoryIndex;
}

export function reportView(input: ReportInput, opts: ViewOptions): ReportView {
  if (input.kind === 'run') {
    const verdict = opts.verdict ?? notJudged();
    const view = buildRunView(input.result, { verdict, baseline: opts.baseline });
    const history = opts.history && buildHistoryView(opts.history, input.result.meta.scenario, input.result.meta.profile, input.dir);
    if (history) Object.assign(view, { history, charts: [...view.charts, ...history.charts] });
    return { ...view, verdictLine: `${STATUS_LABEL[verdict.status]} — ${verdict.headline}` };
  }
  const view = buildCapacityView(input.result, opts.levelRuns);
  return { ...view, verdictLine: `${view.answer.headline} Asserted table: ${view.assertionCounts}.` };
}
