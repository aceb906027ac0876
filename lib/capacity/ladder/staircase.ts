// The staircase strategy's maths: the ladder as ONE k6 run that steps 500 → 1000 → 2000 → … (ramp, steady window,
// next level), so users log in once and no level pays a ramp-down and a fresh login storm; its profile name, its
// ramp speed and how long its load lasts. The run itself and the cutting of its levels: lib/capacity/ladder/measure.ts.

import { expectedDurationS, GRACEFUL_RAMP_DOWN_S, type ProfileTuning } from '../../../scenarios/profiles.js';

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

/** Load seconds of a staircase of `levels` as one k6 run (ramps, holds, ramp-down). */
export function staircaseLoadS(levels: readonly number[], tuning: ProfileTuning): number {
  return expectedDurationS(staircaseProfile(levels), tuning) + GRACEFUL_RAMP_DOWN_S;
}

/** Load seconds of one level run alone: its ramp, steady window and ramp-down. */
export function levelLoadS(users: number, tuning: ProfileTuning): number {
  return expectedDurationS(`load-${users}`, tuning) + GRACEFUL_RAMP_DOWN_S;
}

/** The profile name k6 runs for a staircase of these user counts. */
export function staircaseProfile(users: readonly number[]): string {
  return `stairs-${users.join('-')}`;
}
