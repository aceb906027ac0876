// Load profiles as pure maths: the catalogue of named shapes and what they resolve to (stages, Little's law,
// scale, durations). k6's option format is written by k6-options.ts. Imports only its pure siblings: this file is
// bundled into every k6 script and also imported by Node (preflight, runner, tests), so it may use neither k6
// nor Node APIs.

import type { K6Thresholds } from './k6-types.js';

/** Seconds (plain number: this file cannot import lib/units.ts). */
export type Secs = number;

/** How a profile is adjusted for one run (all optional; defaults in DEFAULTS). */
export interface ProfileTuning {
  /** Multiplies users and rates (SCALE). Never below MIN_USERS users. */
  scale?: number;
  /** Replaces the duration of every steady (plateau) stage (STEADY_S). */
  steadyS?: Secs;
  /** Mean think time between steps, Z in Little's law: (THINK_MIN_S + THINK_MAX_S) / 2. */
  thinkMeanS?: Secs;
  /** Assumed mean response time, R in Little's law. */
  responseTimeS?: Secs;
  /** Mean requests per iteration (each followed by a think time); turns request rate into iteration rate. */
  requestsPerIteration?: number;
  /** Ramp-up speed in new VUs a second (RAMP_VUS_PER_S), instead of RAMP_UP_VUS_PER_S. */
  rampUpVusPerS?: number;
}

export const DEFAULTS = {
  scale: 1,
  thinkMeanS: 3,
  responseTimeS: 0.2,
  requestsPerIteration: 1,
} as const;

/** A scaled profile never drops below this many users (3: one per persona, so a tiny `mix` still covers all). */
export const MIN_USERS = 3;
/** Ramp-up speed: 10 new VUs a second (each logs in once; a gentle login storm). */
export const RAMP_UP_VUS_PER_S = 10;
/** Ramp-down speed: 50 VUs a second. */
export const RAMP_DOWN_VUS_PER_S = 50;
/** Open model: maxVUs = this × the Little's-law concurrency, headroom for response times above the assumed R. */
export const OPEN_MAX_VUS_FACTOR = 2;
/** k6's default gracefulStop, stated so expected durations can include it. */
export const GRACEFUL_STOP_S = 30;
/**
 * How long a VU removed during a ramp-down may finish its iteration. An iteration here is ~8 requests with 1–5 s
 * of think time each (~25 s), so k6's default 30 s made every run wait half a minute after its last stage; what
 * is measured is the steady state, so 10 s is enough (k6 counts the rest as interrupted iterations, not errors).
 * Only a ramp-down inside a profile (the spike's drop) waits on it: at the final one each VU ends its iteration
 * itself (k6-options.ts finalRampDownAtS).
 */
export const GRACEFUL_RAMP_DOWN_S = 10;

/** One plateau of a profile: ramp to `users` (in `rampS`, else at RAMP_UP/DOWN speed), then hold for `holdS`. */
interface Plateau {
  users: number;
  holdS: Secs;
  rampS?: Secs;
}

interface BaseProfile {
  description: string;
  plateaus: Plateau[];
  /** k6 thresholds that belong to the profile itself (stress: abort once far past breaking). */
  thresholds?: K6Thresholds;
}

/** A stage of a resolved profile, before it is written in k6's format. */
export interface ProfileStage {
  durationS: Secs;
  /** VUs at the end of the stage (closed model). */
  users: number;
  /** A plateau (its duration is what STEADY_S replaces), as opposed to a ramp. */
  steady: boolean;
}

export interface ResolvedProfile {
  name: string;
  model: 'closed' | 'open';
  description: string;
  stages: ProfileStage[];
  /** The profile's own k6 thresholds (the script's, judged by k6; thresholds.json's targets are the gate's alone). */
  thresholds: K6Thresholds;
  /** The VUs k6 will allocate at most: the peak users, or the open model's maxVUs (file descriptors, source addresses). */
  peakVus: number;
}

const STEADY_LOAD_S = 600;

function loadProfile(users: number): BaseProfile {
  return { description: `closed model: ramp to ${users} VUs, hold 10 min, ramp down`, plateaus: [{ users, holdS: STEADY_LOAD_S }] };
}

const NAMED: Record<string, BaseProfile> = {
  smoke: { description: 'a few VUs for 30 s: does every endpoint answer?', plateaus: [{ users: 3, holdS: 30, rampS: 5 }] },
  'load-500': loadProfile(500),
  'load-1000': loadProfile(1000),
  'load-2000': loadProfile(2000),
  stress: {
    description: 'ramp past 2000 VUs in plateaus of 1000 up to 4000 until targets break; aborts when far past them',
    plateaus: [1000, 2000, 3000, 4000].map((users) => ({ users, holdS: 180 })),
    // Far beyond the stack's targets (P99 < 500 ms, errors < 0.1 %): the breaking point has been passed, stop.
    thresholds: {
      http_req_duration: [{ threshold: 'p(99)<5000', abortOnFail: true, delayAbortEval: '60s' }],
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '60s' }],
    },
  },
  spike: {
    description: '100 VUs, a sudden spike to 1500 in 10 s, hold 1 min, drop back and watch recovery',
    plateaus: [
      { users: 100, holdS: 60 },
      { users: 1500, holdS: 60, rampS: 10 },
      { users: 100, holdS: 120, rampS: 10 },
    ],
  },
  soak: { description: 'the normal load (500 VUs) held for 2 h: leaks, pool exhaustion, drift', plateaus: [{ users: 500, holdS: 7200 }] },
};

// No regular expression at module level: k6 evaluates this module in every VU, and a sobek runtime's first RegExp
// builds its RegExp prototype, about 18 KB per VU (bench/generator). The patterns below are made on use.
/** Steady seconds per staircase level unless STEADY_S says otherwise. */
const STAIR_HOLD_S = 60;

/** The user counts of a `stairs-…` profile, in its order; null for any other name. */
export function stairLevels(name: string): number[] | null {
  // `stairs-500-1000-2000`: a capacity staircase in one run (each level: ramp, steady window, next level).
  const m = /^stairs-([1-9][0-9]{0,6}(?:-[1-9][0-9]{0,6})*)$/.exec(name.endsWith('-open') ? name.slice(0, -'-open'.length) : name);
  return m ? m[1]!.split('-').map(Number) : null;
}

/** Every named profile, each with its open-model twin; `load-<N>` and `load-<N>-open` also work for any N. */
export function profileNames(): string[] {
  return Object.keys(NAMED).flatMap((n) => [n, `${n}-open`]);
}

function unknownProfile(name: string): Error {
  return new Error(`unknown profile '${name}': valid profiles are ${profileNames().join(', ')}, load-<N>, load-<N>-open`);
}

function baseProfile(name: string): BaseProfile {
  const named = NAMED[name];
  if (named) return named;
  const m = /^load-([1-9][0-9]{0,6})$/.exec(name);
  if (m) return loadProfile(Number(m[1]));
  const stairs = stairLevels(name);
  if (stairs && stairs.every((u, i) => i === 0 || u > stairs[i - 1]!)) {
    return { description: `closed model staircase: ${stairs.join(' → ')} VUs, each ramped and held, one login per VU`, plateaus: stairs.map((users) => ({ users, holdS: STAIR_HOLD_S })) };
  }
  throw unknownProfile(name);
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} must be a positive number, got ${String(value)}`);
  return value;
}

/** Users after scaling: round(users × scale), never below MIN_USERS (or the profile's own size if smaller). */
export function scaleUsers(users: number, scale: number): number {
  positive(scale, 'scale');
  return Math.max(Math.min(MIN_USERS, users), Math.round(users * scale));
}

/**
 * A ramp-up lasts 5 s at least, so a scaled-down level still arrives gradually. A ramp-down is never measured
 * and each VU it removes still has GRACEFUL_RAMP_DOWN_S to finish its iteration, so it only needs 1 s: a 5 s
 * floor there made every small run (smoke, CI) wait 4 s for nothing.
 */
function rampS(from: number, to: number, upPerS: number = RAMP_UP_VUS_PER_S): Secs {
  const delta = Math.abs(to - from);
  return to >= from
    ? Math.min(600, Math.max(5, Math.ceil(delta / upPerS)))
    : Math.min(60, Math.max(1, Math.ceil(delta / RAMP_DOWN_VUS_PER_S)));
}

/** Resolves a profile name with its tuning into stages in users (the closed shape; open twins convert later). */
export function resolveProfile(name: string, tuning: ProfileTuning = {}): ResolvedProfile {
  const open = name.endsWith('-open');
  const base = baseProfile(open ? name.slice(0, -'-open'.length) : name);
  const scale = positive(tuning.scale ?? DEFAULTS.scale, 'scale');
  const steadyS = tuning.steadyS === undefined ? undefined : Math.max(1, Math.round(positive(tuning.steadyS, 'steady-state seconds')));
  const stages: ProfileStage[] = [];
  let users = 0;
  for (const p of base.plateaus) {
    const target = scaleUsers(p.users, scale);
    const up = tuning.rampUpVusPerS === undefined ? undefined : positive(tuning.rampUpVusPerS, 'ramp-up VUs per second');
    stages.push({ durationS: p.rampS ?? rampS(users, target, up), users: target, steady: false });
    stages.push({ durationS: steadyS ?? p.holdS, users: target, steady: true });
    users = target;
  }
  stages.push({ durationS: rampS(users, 0), users: 0, steady: false });
  const peak = Math.max(0, ...stages.map((s) => s.users));
  return {
    name,
    model: open ? 'open' : 'closed',
    description: open ? `${base.description} (open model: arrival rate from Little's law)` : base.description,
    stages,
    thresholds: base.thresholds ?? {},
    peakVus: open ? Math.ceil(peak * OPEN_MAX_VUS_FACTOR) : peak,
  };
}

/**
 * Little's law for the open-model twin. A closed-model VU spends, per request, R (response) + Z (think), so N VUs
 * send X = N / (R + Z) requests a second. An iteration makes k requests (each followed by a think time), so the
 * arrival rate that keeps the same N users busy is  λ = X / k = N / (k · (R + Z))  iterations a second, and by
 * Little's law again the VUs in flight are L = λ · k · (R + Z) = N. Returned per MINUTE and rounded, because k6
 * rates are integers and a per-second rate would lose up to 50 % at small N.
 */
export function iterationsPerMinute(users: number, tuning: ProfileTuning = {}): number {
  if (users <= 0) return 0;
  const r = tuning.responseTimeS ?? DEFAULTS.responseTimeS;
  const z = tuning.thinkMeanS ?? DEFAULTS.thinkMeanS;
  const k = positive(tuning.requestsPerIteration ?? DEFAULTS.requestsPerIteration, 'requests per iteration');
  const perSecond = users / (k * positive(r + z, 'response time + think time'));
  return Math.max(1, Math.round(perSecond * 60));
}

/** Largest user count any stage reaches. */
export function peakUsers(p: ResolvedProfile): number {
  return Math.max(0, ...p.stages.map((s) => s.users));
}

/** `resolveProfile(name, {scale}).peakVus`, for a caller that needs nothing else of the profile (k8s runner sizing). */
export function peakVus(profileName: string, scale: number = DEFAULTS.scale): number {
  return resolveProfile(profileName, { scale }).peakVus;
}

/** Seconds the stages last (k6 may take up to GRACEFUL_STOP_S more to let the last iterations finish). */
export function expectedDurationS(profileName: string, tuning: ProfileTuning = {}): Secs {
  return resolveProfile(profileName, tuning).stages.reduce((sum, s) => sum + s.durationS, 0);
}
