// The one early look: a decided FAIL within seconds of the ramp's end that needs no model of how requests depend on
// each other. Over the first LOOK_S judged seconds, the share Y of requests on the criterion's wrong side has, for a
// run whose true share is m, expectation m however its seconds and requests cluster (a stationary run), so Markov's
// inequality bounds P(Y ≥ m/α_look) by α_look. That look spends α_look of the criterion's α; its sequence keeps the
// rest. It can only fire where m/α_look ≤ 1 (P99 at 1 %, error rates; not P95 at 5 %), and only there is α split.

import type { SequentialCriterion } from './criteria.js';

/** Judged seconds the look waits for: a handful, so that it is over within seconds of the ramp's end. */
export const LOOK_S = 5;
/** The share of α the look spends. */
export const LOOK_ALPHA_SHARE = 0.25;

/** The share of a criterion's wrong side the run's true share stays at or below when the criterion holds. */
function wrongSide(c: SequentialCriterion): number {
  return c.passWhen === 'below' ? c.share : 1 - c.share;
}

/** The observed wrong-side share at which the look decides FAIL, or undefined when no share could reach it. */
export function lookFailShare(c: SequentialCriterion, alpha: number): number | undefined {
  const at = wrongSide(c) / (alpha * LOOK_ALPHA_SHARE);
  return at <= 1 ? at : undefined;
}

/** The α left to the criterion's confidence sequence. */
export function sequenceAlpha(c: SequentialCriterion, alpha: number): number {
  return lookFailShare(c, alpha) === undefined ? alpha : alpha * (1 - LOOK_ALPHA_SHARE);
}

/** Whether `events` of `requests` over the look's seconds decide the criterion FAIL. */
export function lookFails(c: SequentialCriterion, alpha: number, requests: number, events: number): boolean {
  const at = lookFailShare(c, alpha);
  if (at === undefined || requests === 0) return false;
  const wrong = c.passWhen === 'below' ? events : requests - events;
  return wrong / requests >= at;
}
