// A run's plan, resolved once before anything starts: the names checked, the script's environment, and the profile
// resolved with the script's own tuning (scale, steady seconds, think time, ramp speed) into stages and peak VUs —
// what the preflight (file descriptors) and the source-address plan read. Bad values are usage errors here.

import { mixRequestsPerIteration, readScenarioEnv, REQUESTS_PER_ITERATION, thinkRange, tuningFromEnv, type ScenarioName } from '../../scenarios/config.js';
import { profileNames, resolveProfile, type ProfileTuning, type ResolvedProfile } from '../../scenarios/profiles.js';
import { packageRoot, scenarioNames } from '../bundle/bundle.js';
import { ConectaError, ExitCode } from '../exit-codes.js';

export interface RunPlanRequest {
  scenario: string;
  profile: string;
  target: string;
  scale?: number;
  steadyS?: number;
  /** Extra variables for the script (THINK_MIN_S, MIX, RAMP_VUS_PER_S, …); they win over the ones derived here. */
  env?: Record<string, string>;
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
}

/** The scenario a run, a ladder or a TestRun uses when none is named: the document's 70/20/10 persona mix. */
export const DEFAULT_SCENARIO = 'mix';

export function validateNames(scenario: string, profile: string): void {
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
  validateNames(r.scenario, r.profile);
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
  return { scenario: r.scenario, scale, env, profile: resolveProfile(r.profile, tuning), thinkMeanS };
}
