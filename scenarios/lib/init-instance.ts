// What only k6's init instance (__VU 0) needs: the options k6 reads and the setup() it runs, from the whole
// environment contract. lib/bundle places this module's code inside initInstance()'s body (lib/bundle/once-chunks.ts),
// so the VUs, which never call it, never create its functions (the profile catalogue and maths, k6 options and
// thresholds, USERS_FILE): each function a VU's module scope holds costs it about 700 bytes for the whole test.

import {
  mixRequestsPerIteration, PERSONAS, readScenarioEnv, REQUESTS_PER_ITERATION, tuningFromEnv, type ScenarioName, type User, type VuEnv,
} from '../config.js';
import { finalRampDownAtS, k6Options } from '../k6-options.js';
import type { K6Options } from '../k6-types.js';
import { setupUsers, usersFromFile } from './users.js';

/**
 * What setup() hands every VU: the logins, and the part of the environment an iteration uses, parsed here once
 * so that no VU parses its environment (string and array builtins would cost each VU their memory, see entry.ts).
 */
export interface SetupData {
  users: User[];
  vu: VuEnv;
}

export interface InitInstance {
  options: K6Options;
  setup(): SetupData;
}

/** Reads and checks the whole environment (a bad value throws, and k6 aborts with its message). */
export function initInstance(scenario: ScenarioName): InitInstance {
  const env = readScenarioEnv(__ENV);
  const personas = scenario === 'mix' ? PERSONAS.filter((p) => env.mix[p] > 0) : [scenario];
  const k = scenario === 'mix' ? mixRequestsPerIteration(env.mix) : REQUESTS_PER_ITERATION[scenario];
  const fileUsers = usersFromFile(env);
  const tuning = tuningFromEnv(env, k);
  const vu: VuEnv = { target: env.target, thinkMinS: env.thinkMinS, thinkMaxS: env.thinkMaxS, mix: env.mix, endS: finalRampDownAtS(env.profile, tuning) };
  return { options: k6Options(env.profile, tuning), setup: () => ({ users: setupUsers(env, fileUsers, personas), vu }) };
}
