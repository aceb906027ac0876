// What an undecided criterion needs: how many more requests, and at the observed rate how much longer, would
// decide it if the observed share held. Also what `gate plan` prints before a run: the same question from an
// expected share and rate. Pure.

import { mixtureInterval } from './mixture.js';

export interface Need {
  /** Requests in all (seen and still to come) at which the sequence would leave the target's side. */
  readonly totalRequests: number;
  readonly moreRequests: number;
  /** At `requestsPerS`; null without a rate. */
  readonly moreSeconds: number | null;
}

/** Requests whose share `p` (dispersion φ) the sequence, at level α, would tell apart from `target`; null when it
 *  never could (the share is the target, or beyond 10¹² requests). */
export function requestsToDecide(p: number, target: number, alpha: number, dispersion = 1): number | null {
  if (!(p >= 0 && p <= 1) || p === target) return null;
  const decided = (n: number) => {
    const { lower, upper } = mixtureInterval((p * n) / dispersion, n / dispersion, alpha);
    return p < target ? upper < target : lower > target;
  };
  let hi = 16;
  while (!decided(hi)) {
    hi *= 2;
    if (hi > 1e12) return null;
  }
  let lo = hi / 2;
  // Whole requests: the first count at which the bound crosses (the bound narrows monotonically with n at a fixed share).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (decided(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** What a criterion with `events` out of `n` so far needs, at `requestsPerS`. */
export function needOf(events: number, n: number, target: number, alpha: number, dispersion: number | undefined, requestsPerS: number): Need | null {
  if (n === 0) return null;
  const total = requestsToDecide(events / n, target, alpha, dispersion ?? 1);
  if (total === null) return null;
  const more = Math.max(0, total - n);
  return { totalRequests: total, moreRequests: more, moreSeconds: requestsPerS > 0 ? Math.ceil(more / requestsPerS) : null };
}
