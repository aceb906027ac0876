// A run's plan, resolved once before anything starts: the names checked, the script's environment, and the profile
// resolved with the script's own tuning (scale, steady seconds, think time, ramp speed) into stages and peak VUs —
// what the preflight (file descriptors) and the source-address plan read. Bad values are usage errors here.
// A user's own script (`--script`) keeps its own options (profile OWN_OPTIONS: k6's reading of them is the plan),
// or, when a profile is asked for, runs the profile's stages as k6's `--stage` flags on its default scenario.

import { mixRequestsPerIteration, readScenarioEnv, REQUESTS_PER_ITERATION, thinkRange, tuningFromEnv, type ScenarioName } from '../../scenarios/config.js';
import { profileNames, resolveProfile, type ProfileTuning, type ResolvedProfile } from '../../scenarios/profiles.js';
import { packageRoot, scenarioNames } from '../bundle/bundle.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { ScriptOptions, ScriptSource } from './script.js';

export interface RunPlanRequest {
  scenario: string;
  profile: string;
  target: string;
  scale?: number;
  steadyS?: number;
  /** Extra variables for the script (THINK_MIN_S, MIX, RAMP_VUS_PER_S, …); they win over the ones derived here. */
  env?: Record<string, string>;
  /** A user's own script instead of a scenario (then `scenario` is ignored: the run is named after the script). */
  script?: ScriptSource;
}

export interface RunPlan {
  scenario: string;
  scale: number;
  /** The variables k6's script gets. */
  env: Record<string, string>;
  /** The profile as the script will resolve it: stages and peak VUs. */
  profile: ResolvedProfile;
  /** The script's mean think time Z (THINK_MIN_S, THINK_MAX_S), for Little's law before k6 starts. */
  thinkMeanS: number;
  /** The user's own script, when the run has one. */
  script?: ScriptSource;
  /** k6 flags the plan adds: a profile's stages (`--stage`) on a user's script. */
  k6Args: string[];
}

/** The profile of a run that keeps its script's own options (`run --script` without --profile). */
export const OWN_OPTIONS = 'own';

/** The scenario a run, a ladder or a TestRun uses when none is named: the document's 70/20/10 persona mix. */
export const DEFAULT_SCENARIO = 'mix';

export function validateNames(scenario: string, profile: string, script = false): void {
  if (script) {
    if (profile === OWN_OPTIONS) return;
    if (profile.endsWith('-open')) {
      throw new ConectaError(`profile "${profile}" with --script: an open profile needs the toolkit's scenarios`, ExitCode.USAGE,
        'give a closed profile (its stages drive the script\'s default scenario) or keep the script\'s own options');
    }
    scenario = DEFAULT_SCENARIO;
  }
  const scenarios = scenarioNames(packageRoot());
  if (!scenarios.includes(scenario)) {
    throw new ConectaError(`unknown scenario "${scenario}"`, ExitCode.USAGE, `valid: ${scenarios.join(', ')}`);
  }
  try {
    resolveProfile(profile);
  } catch {
    throw new ConectaError(`unknown profile "${profile}"`, ExitCode.USAGE, `valid: ${profileNames().join(', ')}, load-<N>[-open]`);
  }
}

/**
 * The mean think time Z the script will use with these variables (the script's own reading of THINK_MIN_S and
 * THINK_MAX_S, defaults included); a bad value is a usage error here.
 */
export function scriptThinkMeanS(env: Record<string, string>): number {
  try {
    const { thinkMinS, thinkMaxS } = thinkRange(env);
    return (thinkMinS + thinkMaxS) / 2;
  } catch (e) {
    throw new ConectaError(`-e ${(e as Error).message}`, ExitCode.USAGE);
  }
}

export function planRun(r: RunPlanRequest): RunPlan {
  const scale = r.scale ?? 1;
  if (!(scale > 0)) throw new ConectaError(`--scale must be a positive number, got ${r.scale}`, ExitCode.USAGE);
  if (r.steadyS !== undefined && !(r.steadyS > 0)) {
    throw new ConectaError(`--duration must be positive, got ${r.steadyS} s`, ExitCode.USAGE);
  }
  validateNames(r.scenario, r.profile, r.script !== undefined);
  if (r.script) return planScript(r, r.script, scale);
  const env: Record<string, string> = {
    TARGET: r.target,
    PROFILE: r.profile,
    SCALE: String(scale),
    ...(r.steadyS !== undefined ? { STEADY_S: String(r.steadyS) } : {}),
    ...r.env,
  };
  const thinkMeanS = scriptThinkMeanS(env);
  // The script's own reading of its environment, so the stages planned here are the ones k6 will run.
  let tuning: ProfileTuning;
  try {
    const e = readScenarioEnv(env);
    const scenario = r.scenario as ScenarioName;
    tuning = tuningFromEnv(e, scenario === 'mix' ? mixRequestsPerIteration(e.mix) : REQUESTS_PER_ITERATION[scenario]);
  } catch (e) {
    throw new ConectaError(`-e ${(e as Error).message}`, ExitCode.USAGE);
  }
  return { scenario: r.scenario, scale, env, profile: resolveProfile(r.profile, tuning), thinkMeanS, k6Args: [] };
}

/** A user's script: its own options as k6 reads them, or a profile's stages on its default scenario. */
function planScript(r: RunPlanRequest, script: ScriptSource, scale: number): RunPlan {
  const own = r.profile === OWN_OPTIONS;
  if (own && (r.steadyS !== undefined || scale !== 1)) {
    throw new ConectaError('--duration and --scale shape a profile: with --script, give --profile too, or set them in the script\'s options', ExitCode.USAGE);
  }
  const env: Record<string, string> = {
    TARGET: r.target,
    ...(own ? {} : { PROFILE: r.profile, SCALE: String(scale), ...(r.steadyS !== undefined ? { STEADY_S: String(r.steadyS) } : {}) }),
    ...r.env,
  };
  const thinkMeanS = scriptThinkMeanS(env);
  const base = { scenario: script.name, scale, env, thinkMeanS, script };
  if (own) return { ...base, profile: ownProfile(script.options), k6Args: [] };
  assertLadderable(script);
  let profile: ResolvedProfile;
  try {
    const e = readScenarioEnv(env);
    // A foreign script's requests per iteration are unknown; closed profiles (the only ones allowed here) do not use it.
    profile = resolveProfile(r.profile, tuningFromEnv(e, 1));
  } catch (e) {
    throw new ConectaError(`-e ${(e as Error).message}`, ExitCode.USAGE);
  }
  return { ...base, profile, k6Args: profile.stages.flatMap((st) => ['--stage', `${st.durationS}s:${st.users}`]) };
}

/**
 * The contract a script follows for the toolkit to shape its load (a profile, a capacity ladder): k6's `--stage`
 * flags replace the script's scenarios with the default one, which runs the script's default export. A script
 * without one gets the one line saying what to add.
 */
export function assertLadderable(script: Pick<ScriptSource, 'file' | 'exports'>): void {
  if (!script.exports.includes('default')) {
    throw new ConectaError(`${script.file} has no default export, so the toolkit cannot set its stages`, ExitCode.USAGE,
      'add `export default function () { … }` running one iteration: a profile or a capacity ladder sets the VUs of k6\'s default scenario, which runs it');
  }
}

/** The script's own options as a profile (pure): top-level stages (a plateau where the target holds), else its
 *  VUs for its duration, else its scenarios' peak VUs over their whole length. */
export function ownProfile(o: ScriptOptions): ResolvedProfile {
  let stages: ResolvedProfile['stages'];
  if (o.stages && o.stages.length > 0) {
    let users = 0;
    stages = o.stages.map((s) => {
      const st = { durationS: s.durationS, users: s.target, steady: s.target === users };
      users = s.target;
      return st;
    });
  } else if (o.durationS !== undefined && Object.keys(o.scenarios).every((n) => n === 'default')) {
    stages = [{ durationS: o.durationS, users: o.vus ?? 1, steady: true }];
  } else {
    stages = [{ durationS: o.totalDurationS, users: o.maxVUs, steady: true }];
  }
  return { name: OWN_OPTIONS, model: 'closed', description: "the script's own options", stages, thresholds: {}, peakVus: Math.max(1, o.maxVUs) };
}
