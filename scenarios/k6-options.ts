// The k6 `options` writer: a resolved profile (profiles.ts) in k6's format. Pure; no k6 or Node APIs.

import type { ClosedScenario, K6Options, OpenScenario } from './k6-types.js';
import {
  GRACEFUL_RAMP_DOWN_S, GRACEFUL_STOP_S, iterationsPerMinute, OPEN_MAX_VUS_FACTOR, peakUsers, resolveProfile,
  type ProfileTuning, type Secs,
} from './profiles.js';

const secs = (s: Secs) => `${Math.round(s)}s`;

/**
 * Seconds from the scenario's start to its last stage, the final ramp-down, in the whole seconds k6 is given. Past
 * it nothing is measured, so a VU ends its iteration there (api.ts) instead of finishing it: k6 waited up to its
 * graceful ramp-down (10 s) for iterations whose requests nobody reads, 9 s of a 20-s run at 0.5–1.5 s think.
 */
export function finalRampDownAtS(profileName: string, tuning: ProfileTuning = {}): number {
  const stages = resolveProfile(profileName, tuning).stages;
  let s = 0;
  for (let i = 0; i < stages.length - 1; i++) s += Math.round(stages[i]!.durationS);
  return s;
}

/** The k6 `options` for a profile: one scenario named after the profile, thresholds merged, trend stats for P99.9. */
export function k6Options(profileName: string, tuning: ProfileTuning = {}): K6Options {
  const p = resolveProfile(profileName, tuning);
  const graceful = secs(GRACEFUL_STOP_S);
  const scenario: ClosedScenario | OpenScenario =
    p.model === 'closed'
      ? {
          executor: 'ramping-vus',
          startVUs: 0,
          stages: p.stages.map((s) => ({ duration: secs(s.durationS), target: s.users })),
          gracefulRampDown: secs(GRACEFUL_RAMP_DOWN_S),
          gracefulStop: graceful,
        }
      : {
          executor: 'ramping-arrival-rate',
          startRate: 0,
          timeUnit: '1m',
          // Little's law: the twin keeps as many iterations in flight as the closed model has users.
          preAllocatedVUs: peakUsers(p),
          maxVUs: Math.ceil(peakUsers(p) * OPEN_MAX_VUS_FACTOR),
          stages: p.stages.map((s) => ({ duration: secs(s.durationS), target: iterationsPerMinute(s.users, tuning) })),
          gracefulStop: graceful,
        };
  return {
    scenarios: { [profileName]: scenario },
    thresholds: p.thresholds,
    summaryTrendStats: ['min', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'max'],
    setupTimeout: '60s',
  };
}
