// `gate --sequential`'s judgement: checks the thresholds and the runs fit the sequential gate, and returns the
// refinement that replays the run's timeline and puts the decisions into the fixed verdict. Pure.

import { ConectaError, ExitCode } from '../../exit-codes.js';
import type { RunResult } from '../../result/schema.js';
import type { Thresholds } from '../../thresholds/load.js';
import type { Verdict } from '../schema.js';
import { applySequential } from './apply.js';
import { assertJudgeable, sequentialCriteria, unjudgeableCriteria } from './criteria.js';
import { replaySequential } from './replay.js';

/** The chance of ever deciding a criterion wrongly. */
export const SEQUENTIAL_ALPHA = 0.05;

/** Throws ConectaError(USAGE) before any judging when the sequence cannot judge these thresholds or runs. */
export function judgeSequentially(results: readonly RunResult[], t: Thresholds, profile: string, alpha: number): (v: Verdict) => Verdict {
  if (results.length !== 1) {
    throw new ConectaError(`gate --sequential: give one run (got ${results.length}); each run has its own timeline`, ExitCode.USAGE);
  }
  assertJudgeable(unjudgeableCriteria(t, profile));
  const result = results[0]!;
  const criteria = sequentialCriteria(t, profile, Object.keys(result.endpoints));
  return (v) => applySequential(v, result, replaySequential(result, criteria, { alpha, errorsAlsoCount: t.errorsAlsoCount }), alpha, t.errorsAlsoCount);
}
