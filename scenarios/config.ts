// The public scenario and configuration types in one documented place, and the pure parsing of the environment
// contract between the runner and a scenario bundle (docs/ARCHITECTURE.md, "Scenario bundle ↔ runner").
// Imports nothing but profiles.ts and the k6 option files beside it, so both k6 scripts and Node code (runner, tests) can use it.

import type { ProfileTuning } from './profiles.js';

export type { K6Options, K6Stage, K6Threshold, K6Thresholds } from './k6-types.js';
export type { ProfileStage, ProfileTuning, ResolvedProfile } from './profiles.js';

/** The three kinds of user the scenarios model (CONTEXT.md): resident, doorman, manager. */
export type Persona = 'morador' | 'porteiro' | 'sindico';
export const PERSONAS: readonly Persona[] = ['morador', 'porteiro', 'sindico'];

/** Scenario entries, bundled to dist/scenarios/<name>.js: the weighted mix and each persona alone. */
export type ScenarioName = 'mix' | Persona;

/** A login the scenarios may use: USERS_FILE, or `GET /__sandbox/users`. */
export interface User {
  email: string;
  password: string;
  /** API role; a persona logs in as users whose role is its own name. */
  role: string;
}

/** Persona weights for `mix`, in PERSONAS order (MIX=70,20,10). Only their ratios matter. */
export type MixWeights = Record<Persona, number>;

/**
 * Mean requests one iteration of each persona makes (each followed by a think time). The open-model twins
 * need it to turn Little's-law request rates into iteration rates; personas/*.ts list their steps next to it.
 * Writes made with a probability count by their expectation (sindico's order: 1 in 4 iterations).
 */
export const REQUESTS_PER_ITERATION: Record<Persona, number> = {
  // 7 reads, a reservation 1 in 3, a delivery photo viewed, a bill (list and PDF) 1 in 3.
  morador: 7 + 1 / 3 + 1 + 2 / 3,
  // 8 steps and the delivery's photo uploaded.
  porteiro: 9,
  sindico: 10 + 1 / 4,
};

/**
 * Each request's body bytes, carried as k6 metadata on its status check (`exec.vu.metrics.metadata`, written by k6
 * to JSON and CSV with the check's tags {name, persona}): k6's own data_sent/data_received are its connections'
 * totals per iteration, not per request, so they cannot say which endpoint moved the bytes. Metadata, not Counters:
 * importing k6/metrics cost every VU about 8 KB and each request one or two more output lines. lib/ingest keeps
 * them per endpoint (result.json's `bytes`), and reads Counters of the same names too (a script's own, or output
 * written before).
 */
export const BYTE_KEYS = { sent: 'conecta_bytes_sent', received: 'conecta_bytes_received' } as const;

/** Everything a scenario bundle reads from its environment (__ENV), parsed and defaulted. */
export interface ScenarioEnv {
  /** TARGET: base URL without a trailing slash. */
  target: string;
  /** PROFILE: see profiles.ts. */
  profile: string;
  /** SCALE: multiplies users and rates. */
  scale: number;
  /** STEADY_S: steady-state seconds, overriding the profile's. */
  steadyS?: number;
  /** THINK_MIN_S, THINK_MAX_S: think time between steps, uniform in [min, max] seconds. */
  thinkMinS: number;
  thinkMaxS: number;
  /** MIX: persona weights for the `mix` entry. */
  mix: MixWeights;
  /** USERS_FILE: JSON `[{"email","password","role"}]`, opened in the init context. */
  usersFile?: string;
  /** RAMP_VUS_PER_S: ramp-up speed (new VUs a second; the runner bounds it by login cost). */
  rampVusPerS?: number;
}

export const ENV_DEFAULTS = {
  target: 'http://127.0.0.1:8100',
  profile: 'smoke',
  thinkMinS: 1,
  thinkMaxS: 5,
  mix: { morador: 70, porteiro: 20, sindico: 10 } satisfies MixWeights,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function num(env: Env, key: string, fallback: number, min: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min) throw new Error(`${key}: must be a number ≥ ${min}, got '${raw}'`);
  return v;
}

/** Parses MIX ("70,20,10": morador, porteiro, sindico); weights ≥ 0, at least one positive. */
export function parseMix(raw: string): MixWeights {
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.length !== PERSONAS.length || values.some((v) => !Number.isFinite(v) || v < 0) || values.every((v) => v === 0)) {
    throw new Error(`MIX: expected three weights ≥ 0 for ${PERSONAS.join(',')} (e.g. 70,20,10), got '${raw}'`);
  }
  return { morador: values[0]!, porteiro: values[1]!, sindico: values[2]! };
}

/** THINK_MIN_S and THINK_MAX_S as the script reads them (THINK_MAX_S defaults to max(THINK_MIN_S, 5)); throws on a bad value. */
export function thinkRange(env: Env): { thinkMinS: number; thinkMaxS: number } {
  const thinkMinS = num(env, 'THINK_MIN_S', ENV_DEFAULTS.thinkMinS, 0);
  const thinkMaxS = num(env, 'THINK_MAX_S', Math.max(thinkMinS, ENV_DEFAULTS.thinkMaxS), 0);
  if (thinkMaxS < thinkMinS) throw new Error(`THINK_MAX_S (${thinkMaxS}) must not be below THINK_MIN_S (${thinkMinS})`);
  return { thinkMinS, thinkMaxS };
}

/** What an iteration needs of the environment (setup() hands it to the VUs): target, think time, personas. */
export type VuEnv = Pick<ScenarioEnv, 'target' | 'thinkMinS' | 'thinkMaxS' | 'mix'> & {
  /** When the final ramp-down starts, in seconds from the scenario's start (k6-options.ts finalRampDownAtS). */
  endS: number;
};

/** Reads the environment contract; a bad value throws an Error naming the variable and the reason. */
export function readScenarioEnv(env: Env): ScenarioEnv {
  const { thinkMinS, thinkMaxS } = thinkRange(env);
  const scale = num(env, 'SCALE', 1, 0);
  if (scale <= 0) throw new Error(`SCALE: must be a positive number, got '${env.SCALE ?? ''}'`);
  const steadyRaw = env.STEADY_S;
  const steadyS = steadyRaw === undefined || steadyRaw.trim() === '' ? undefined : num(env, 'STEADY_S', 0, 1);
  const rampRaw = env.RAMP_VUS_PER_S;
  const rampVusPerS = rampRaw === undefined || rampRaw.trim() === '' ? undefined : num(env, 'RAMP_VUS_PER_S', 0, 0.01);
  return {
    target: (env.TARGET?.trim() || ENV_DEFAULTS.target).replace(/\/+$/, ''),
    profile: env.PROFILE?.trim() || ENV_DEFAULTS.profile,
    scale,
    ...(steadyS !== undefined ? { steadyS } : {}),
    thinkMinS,
    thinkMaxS,
    mix: env.MIX?.trim() ? parseMix(env.MIX) : { ...ENV_DEFAULTS.mix },
    ...(env.USERS_FILE?.trim() ? { usersFile: env.USERS_FILE.trim() } : {}),
    ...(rampVusPerS !== undefined ? { rampVusPerS } : {}),
  };
}

/** The profile tuning a scenario derives from its environment and its mean requests per iteration. */
export function tuningFromEnv(e: ScenarioEnv, requestsPerIteration: number): ProfileTuning {
  return {
    scale: e.scale,
    ...(e.steadyS !== undefined ? { steadyS: e.steadyS } : {}),
    thinkMeanS: (e.thinkMinS + e.thinkMaxS) / 2,
    requestsPerIteration,
    ...(e.rampVusPerS !== undefined ? { rampUpVusPerS: e.rampVusPerS } : {}),
  };
}

/** Mean requests per iteration of the weighted mix: Σ wᵢ·kᵢ / Σ wᵢ. */
export function mixRequestsPerIteration(mix: MixWeights): number {
  const total = PERSONAS.reduce((s, p) => s + mix[p], 0);
  return PERSONAS.reduce((s, p) => s + mix[p] * REQUESTS_PER_ITERATION[p], 0) / total;
}

/**
 * The persona of VU number `vuId` (1-based, k6's exec.vu.idInTest) in a weighted mix, and its ordinal among the
 * VUs of that persona (0-based, to pick users round-robin). Deterministic and stable: the first VUs take one
 * persona each (heaviest first, so even a 3-VU smoke covers every persona), then each next VU goes to the persona
 * furthest below its share (i·wₚ/W − countₚ). Each count stays within 2 VUs of its share (the seeding can put the
 * two lighter personas one VU ahead), and the default 70/20/10 is exact at every 10 VUs and within 1 from VU 4 on.
 *
 * Every VU computes this once, in its own runtime. Replaying the rule from VU 1 made that O(vuId): 7 s of k6 CPU
 * for a 2000-VU run. With integer weights whose split is exact after one cycle of W/gcd VUs, every later cycle
 * repeats the second, so only up to two cycles are replayed.
 */
export function personaForVu(vuId: number, mix: MixWeights): { persona: Persona; ordinal: number } {
  const active = activeByWeight(mix);
  const cycle = exactCycle(active, mix);
  if (cycle === undefined || vuId <= 2 * cycle.length) return replay(vuId, active, mix).pick;
  const laps = Math.floor((vuId - cycle.length - 1) / cycle.length);
  const { persona, ordinal } = replay(vuId - laps * cycle.length, active, mix).pick;
  return { persona, ordinal: ordinal + laps * cycle.perPersona[persona] };
}

// personaForVu runs in every VU, so it and its helpers use index loops and no iterator or array methods: the first
// use of each builtin builds it in that VU's runtime, for the whole test (for…of alone: about 5 KB per VU).

/** The personas with a positive weight, heaviest first (ties in PERSONAS order). */
function activeByWeight(mix: MixWeights): Persona[] {
  const active: Persona[] = [];
  for (let i = 0; i < PERSONAS.length; i++) {
    const p = PERSONAS[i]!;
    if (!(mix[p] > 0)) continue;
    let j = active.length;
    for (; j > 0 && mix[active[j - 1]!] < mix[p]; j--) active[j] = active[j - 1]!;
    active[j] = p;
  }
  return active;
}

/** The rule replayed for VUs 1..vuId: VU vuId's persona and ordinal, and each persona's count before it. */
function replay(vuId: number, active: readonly Persona[], mix: MixWeights): { pick: { persona: Persona; ordinal: number }; counts: Record<Persona, number> } {
  let total = 0;
  for (let k = 0; k < active.length; k++) total += mix[active[k]!];
  const counts: Record<Persona, number> = { morador: 0, porteiro: 0, sindico: 0 };
  let chosen: Persona = active[0]!;
  for (let i = 1; i <= vuId; i++) {
    if (i <= active.length) {
      chosen = active[i - 1]!;
    } else {
      let best = -Infinity;
      for (let k = 0; k < active.length; k++) {
        const p = active[k]!;
        const deficit = (i * mix[p]) / total - counts[p];
        if (deficit > best + 1e-9) {
          best = deficit;
          chosen = p;
        }
      }
    }
    if (i < vuId) counts[chosen]++;
  }
  return { pick: { persona: chosen, ordinal: counts[chosen] }, counts };
}

/** Integer weights: the cycle W/gcd and each persona's VUs per cycle, if the split is exact after one cycle. */
function exactCycle(active: readonly Persona[], mix: MixWeights): { length: number; perPersona: Record<Persona, number> } | undefined {
  let g = 0;
  for (let k = 0; k < active.length; k++) {
    let a = g;
    let b = mix[active[k]!];
    if (b % 1 !== 0) return undefined;
    while (b !== 0) {
      const r = a % b;
      a = b;
      b = r;
    }
    g = a;
  }
  const perPersona: Record<Persona, number> = { morador: 0, porteiro: 0, sindico: 0 };
  let length = 0;
  for (let k = 0; k < active.length; k++) {
    const p = active[k]!;
    perPersona[p] = mix[p] / g;
    length += perPersona[p];
  }
  if (length > 10_000) return undefined;
  const { counts } = replay(length + 1, active, mix);
  for (let k = 0; k < active.length; k++) if (counts[active[k]!] !== perPersona[active[k]!]) return undefined;
  return { length, perPersona };
}
