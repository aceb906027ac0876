// The verdict as a report shows it: status, why, and one row per criterion (target, measured value, interval).
// The gate's own verdict format is adapted into this in one place, so templates never depend on the gate's schema.

import type { TargetLine } from './run-charts.js';

export type VerdictStatus = 'pass' | 'fail' | 'marginal' | 'inconclusive' | 'not-judged';

export interface CriterionRow {
  criterion: string;
  target: string;
  measured: string;
  /** Confidence interval of the measured value, "" when the gate gave none. */
  interval: string;
  status: VerdictStatus;
  note: string;
}

export interface VerdictView {
  status: VerdictStatus;
  /** One line: what the verdict is. */
  headline: string;
  /** Why, in plain words (failed criteria, marginal ones, what made it inconclusive). */
  reasons: string[];
  criteria: CriterionRow[];
  /** Latency targets to draw on charts. */
  targets: TargetLine[];
  /** Where the verdict came from: "verdict.json", "judged now with thresholds.json", … */
  source: string;
}

export const STATUS_LABEL: Record<VerdictStatus, string> = {
  pass: 'PASS', fail: 'FAIL', marginal: 'MARGINAL', inconclusive: 'INCONCLUSIVE', 'not-judged': 'NOT JUDGED',
};

export function notJudged(why = 'no verdict.json in the run directory and no thresholds to judge it with'): VerdictView {
  return {
    status: 'not-judged',
    headline: 'This run was not judged against targets.',
    reasons: [`Not judged: ${why}. Run \`conecta-load gate <run-dir>\` to judge it.`],
    criteria: [],
    targets: [],
    source: 'none',
  };
}
