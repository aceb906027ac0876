// The sequential gate: anytime-valid decisions on a load test's criteria, second by second.

export { assertJudgeable, sequentialCriteria, unjudgeable, unjudgeableCriteria, validateSequentialOptions, type SequentialCriterion, type SequentialOptions } from './criteria.js';
export { DEFAULT_BATCH_S, MIN_BATCHES, dispersionBound, firstDecisionS } from './dispersion.js';
export { LOOK_S, lookFailShare, sequenceAlpha } from './look.js';
export { logMixture, mixtureInterval } from './mixture.js';
export { createSequentialMonitor, type CriterionCounts, type CriterionState, type Decision, type SecondObservation, type SequentialMonitor } from './monitor.js';
export { needOf, requestsToDecide, type Need } from './needs.js';
export { rampEndIndex, replaySequential, slowCount, type Replay, type SequencePoint } from './replay.js';
export { createLiveGate, type GroupSecond, type LiveCriterion, type LiveGate, type StopReason } from './live.js';
export { applySequential } from './apply.js';
export { judgeSequentially, SEQUENTIAL_ALPHA } from './judge.js';
export { planSequential, type Plan, type PlanRow } from './plan.js';
export { rampEndS, UNTIL_DECIDED_MAX_S, untilDecidedObserver, type UntilDecidedObserver, type UntilDecidedOptions } from './observer.js';
