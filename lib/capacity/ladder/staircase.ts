// The staircase strategy's maths: the ladder as ONE k6 run that steps 500 → 1000 → 2000 → … (ramp, steady window,
// next level), so users log in once and no level pays a ramp-down and a fresh login storm; its profile name, its
// ramp speed and how long its load lasts. The run itself and the cutting of its levels: lib/capacity/ladder/measure.ts.

import { expectedDurationS, GRACEFUL_RAMP_DOWN_S } from '../../../scenarios/profiles.js';

/** CPU one login costs the API: scrypt N=1024 (2.6 ms measured here) plus the handler and JWT signing. */
export const LOGIN_CPU_MS = 5;
/** Share of the machine's CPU the ramp's logins may take, so the ramp itself does not saturate the stack. */
export const LOGIN_CPU_BUDGET = 0.1;
/** Upper bound on the ramp speed whatever the hashing allows: k6 starts VUs and their first requests in a burst. */
export const MAX_RAMP_VUS_PER_S = 50;

/**
 * New VUs a second: each new VU logs in once, so the ramp's login rate is its speed. Bounded by the password
 * hashing (logins × LOGIN_CPU_MS within LOGIN_CPU_BUDGET of the cores). The login LIMIT is per address and per
 * 5 minutes, so it bounds how many VUs share an address (lib/run/source-ips.ts), not how fast they arrive.
 */
export function staircaseRampVusPerS(cores: number, loginCpuMs = LOGIN_CPU_MS): number {
  const byHashing = Math.floor((LOGIN_CPU_BUDGET * cores * 1000) / loginCpuMs);
  return Math.max(1, Math.min(MAX_RAMP_VUS_PER_S, byHashing));
}

/** Load seconds of a staircase of `levels`, then of each extra doubled level run alone (ramp, hold, ramp-down). */
export function staircaseLoadPlan(levels: readonly number[], steadyS: number, rampVusPerS: number, maxLoadS: number, maxExtra: number) {
  const tuning = { steadyS, rampUpVusPerS: rampVusPerS };
  const staircaseS = expectedDurationS(staircaseProfile(levels), tuning) + GRACEFUL_RAMP_DOWN_S;
  let total = staircaseS;
  let extra = 0;
  let next = levels[levels.length - 1]! * 2;
  while (extra < maxExtra) {
    const s = expectedDurationS(`load-${next}`, tuning) + GRACEFUL_RAMP_DOWN_S;
    if (total + s > maxLoadS) break;
    total += s;
    extra++;
    next *= 2;
  }
  return { staircaseS, extraLevels: extra, worstCaseS: total };
}

/** The profile name k6 runs for a staircase of these user counts. */
export function staircaseProfile(users: readonly number[]): string {
  return `stairs-${users.join('-')}`;
}
