// `gate plan`: before any run, how long a profile must run for the sequential gate to decide each criterion of
// thresholds.json, from the shares and request rates a baseline run measured (scaled to the profile's users).
// Pure: the baseline's result in, one row per criterion out.

import { countAtOrAboveMs, decodeHistogram } from '../../histogram.js';
import type { RequestStats, RunResult } from '../../result/schema.js';
import type { Thresholds } from '../../thresholds/load.js';
import { OVERALL } from '../groups.js';
import { sequentialCriteria, type SequentialCriterion } from './criteria.js';
import { DEFAULT_BATCH_S, firstDecisionS } from './dispersion.js';
import { sequenceAlpha } from './look.js';
import { requestsToDecide } from './needs.js';

/** No decision of the sequence comes before the overdispersion has been measured. */
const FIRST_DECISION_S = firstDecisionS(DEFAULT_BATCH_S);

export interface PlanRow {
  readonly criterion: SequentialCriterion;
  /** The share the baseline measured, and the requests a second expected at the planned users. */
  readonly expectedShare: number;
  readonly requestsPerS: number;
  /** Requests and seconds (after the ramp) to decide it if the share holds; null: never (the share is the target). */
  readonly requests: number | null;
  readonly seconds: number | null;
}

export interface Plan {
  readonly rows: readonly PlanRow[];
  /** Planned peak users over the baseline's, the factor its request rates are scaled by. */
  readonly usersFactor: number;
}

function eventsOf(s: RequestStats, c: SequentialCriterion, alsoCount: readonly string[]): number {
  if (c.thresholdMs !== undefined) return countAtOrAboveMs(decodeHistogram(s.histogram), c.thresholdMs, c.atOrAbove ?? true);
  if (c.metric === 'rateLimitedRate') return s.rateLimited;
  return s.failed + alsoCount.reduce((n, code) => n + (s.statusCodes[code] ?? 0), 0);
}

/** Rows for the baseline's groups that have requests. The overdispersion of the coming run is not known: the
 *  times are for independent requests, a lower bound (bench/sequential: bursty errors need several times longer). */
export function planSequential(baseline: RunResult, t: Thresholds, profile: string, plannedUsers: number, alpha: number): Plan {
  const usersFactor = baseline.vusMax > 0 ? plannedUsers / baseline.vusMax : 1;
  const rows = sequentialCriteria(t, profile, Object.keys(baseline.endpoints)).flatMap((c) => {
    const s = c.group === OVERALL ? baseline.overall : baseline.endpoints[c.group];
    if (!s || s.requests === 0) return [];
    const expectedShare = Math.min(1, eventsOf(s, c, t.errorsAlsoCount) / s.requests);
    const requestsPerS = s.throughputRps * usersFactor;
    const requests = requestsToDecide(expectedShare, c.share, sequenceAlpha(c, alpha));
    return [{ criterion: c, expectedShare, requestsPerS, requests, seconds: requests === null || requestsPerS <= 0 ? null : Math.max(FIRST_DECISION_S, Math.ceil(requests / requestsPerS)) }];
  });
  return { rows, usersFactor };
}
