// Two-proportion z test (pooled): did the error rate change between baseline and candidate?

import { twoSidedP } from './normal.js';

export interface TwoProportion {
  readonly baselineRate: number;
  readonly candidateRate: number;
  /** > 0: the candidate's rate is higher. */
  readonly z: number;
  /** Two-sided p-value; 1 when neither run had any event (nothing to compare). */
  readonly p: number;
}

export function twoProportion(baselineEvents: number, baselineTrials: number, candidateEvents: number, candidateTrials: number): TwoProportion {
  const p1 = baselineTrials > 0 ? baselineEvents / baselineTrials : 0;
  const p2 = candidateTrials > 0 ? candidateEvents / candidateTrials : 0;
  const pooled = (baselineEvents + candidateEvents) / Math.max(1, baselineTrials + candidateTrials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(1, baselineTrials) + 1 / Math.max(1, candidateTrials)));
  const z = se === 0 ? 0 : (p2 - p1) / se;
  return { baselineRate: p1, candidateRate: p2, z, p: se === 0 ? 1 : twoSidedP(z) };
}
