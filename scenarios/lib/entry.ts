// What every entry exports (options, setup, the iteration), built once here so the four entries stay one-liners.
// Runs in k6's init context: a bad PROFILE/MIX/… throws here and k6 aborts with that message.

import exec from 'k6/execution';
import { sleep } from 'k6';
import {
  mixRequestsPerIteration, personaForVu, PERSONAS, readScenarioEnv, REQUESTS_PER_ITERATION, tuningFromEnv,
  type Persona, type ScenarioName,
} from '../config.js';
import { k6Options } from '../k6-options.js';
import type { K6Options } from '../k6-types.js';
import { morador } from '../personas/morador.js';
import { porteiro } from '../personas/porteiro.js';
import { sindico } from '../personas/sindico.js';
import { Api } from './api.js';
import './metrics.js';
import { loginWaitMs } from './session.js';
import { setupUsers, userFor, usersFromFile, type SetupData } from './users.js';

const ITERATIONS: Record<Persona, (api: Api) => void> = { morador, porteiro, sindico };

export interface Entry {
  options: K6Options;
  setup(): SetupData;
  iteration(data: SetupData): void;
}

export function entry(scenario: ScenarioName): Entry {
  const env = readScenarioEnv(__ENV);
  const personas = scenario === 'mix' ? PERSONAS.filter((p) => env.mix[p] > 0) : [scenario];
  const k = scenario === 'mix' ? mixRequestsPerIteration(env.mix) : REQUESTS_PER_ITERATION[scenario];
  const options = k6Options(env.profile, tuningFromEnv(env, k));
  const fileUsers = usersFromFile(env);
  /** Per VU (module state): its persona and API client, chosen on its first iteration. */
  let vu: { persona: Persona; api: Api } | undefined;

  return {
    options,
    setup: () => setupUsers(env, fileUsers, personas),
    iteration(data: SetupData): void {
      if (!vu) {
        const { persona, ordinal } =
          scenario === 'mix' ? personaForVu(exec.vu.idInTest, env.mix) : { persona: scenario, ordinal: exec.vu.idInTest - 1 };
        const api = new Api({
          target: env.target,
          persona,
          user: userFor(data.users, persona, ordinal),
          thinkMinS: env.thinkMinS,
          thinkMaxS: env.thinkMaxS,
        });
        vu = { persona, api };
        // Segmented runs (`run --segments`, k6-operator): k6's `vu` restarts at 1 in every runner; this id does not.
        if (__ENV.CONECTA_VU_METADATA === '1') exec.vu.metrics.metadata.vu_in_test = exec.vu.idInTest;
      }
      const wait = loginWaitMs();
      if (wait > 0) {
        // Logins are rate limited: wait (bounded, so the VU still stops on time) instead of spinning.
        sleep(Math.min(wait, 10_000) / 1000);
        return;
      }
      ITERATIONS[vu.persona](vu.api);
    },
  };
}
