// What every entry exports (options, setup, the iteration), built once here so the four entries stay one-liners.
// Runs in k6's init context: a bad PROFILE/MIX/… throws here and k6 aborts with that message.
//
// k6 evaluates this module in every VU and in its init instance (__VU 0), and only the init instance reads
// `options` and runs setup(). Whatever a VU builds here it keeps for the whole test, once per VU: at 2000 VUs each
// KB is 2 MB of k6 heap, and about twice that in RSS with the garbage collector's headroom (bench/generator).
// So the options and setup come from init-instance.ts, in __VU 0 alone, and a VU takes its settings from setup().
// For the same reason the personas' constant lists (pages, names, areas) sit at their use, not in module constants:
// each array a module holds, every VU holds; a literal at its use is garbage once used.

import exec from 'k6/execution';
import { sleep } from 'k6';
import type { Persona, ScenarioName } from '../config.js';
import type { K6Options } from '../k6-types.js';
import { morador } from '../personas/morador.js';
import { porteiro } from '../personas/porteiro.js';
import { sindico } from '../personas/sindico.js';
import { Api, RUN_OVER } from './api.js';
import './expected-statuses.js';
import { session } from './session.js';
import { initInstance, type SetupData } from './init-instance.js';
import { vuStart } from './vu-start.js';

/** A persona's iteration: its API client and its place among that persona's VUs (0-based). */
const ITERATIONS: Record<Persona, (api: Api, ordinal: number) => void> = { morador, porteiro, sindico };

export interface Entry {
  /** Empty outside the init instance (k6 reads the init instance's alone). */
  options: K6Options | Record<string, never>;
  /**
   * Undefined outside the init instance: k6 checks the exports of the instance it first builds (__VU 0) and runs
   * setup() in one of its own (__VU 0 too), never in a VU; a placeholder function would cost each VU its 700 bytes.
   */
  setup: (() => SetupData) | undefined;
  iteration(data: SetupData): void;
}

export function entry(scenario: ScenarioName): Entry {
  // A VU's exported options may stay empty: k6 fills every VU's options object from the init instance's.
  const { options, setup } = __VU === 0 ? initInstance(scenario) : { options: {}, setup: undefined };
  /** Per VU (module state): its persona and API client, chosen on its first iteration. */
  let vu: { persona: Persona; ordinal: number; api: Api } | undefined;
  /** Per VU: when the final ramp-down starts (epoch ms), read once; `exec.scenario` builds a new object per read. */
  let endAtMs: number | undefined;

  return {
    options,
    setup,
    iteration(data: SetupData): void {
      endAtMs ??= exec.scenario.startTime + data.vu.endS * 1000;
      if (Date.now() >= endAtMs) {
        // Ramping down: a VU k6 has not removed yet waits here (bounded) rather than spinning empty iterations.
        sleep(1);
        return;
      }
      if (!vu) {
        const { persona, ordinal, user } = vuStart(scenario, exec.vu.idInTest, data);
        const api = new Api({ target: data.vu.target, persona, user, thinkMinS: data.vu.thinkMinS, thinkMaxS: data.vu.thinkMaxS, endAtMs });
        vu = { persona, ordinal, api };
        // Segmented runs (`run --segments`, k6-operator): k6's `vu` restarts at 1 in every runner; this id does not.
        if (__ENV.CONECTA_VU_METADATA === '1') exec.vu.metrics.metadata.vu_in_test = exec.vu.idInTest;
      }
      // A comparison, not Math.max (each builtin a VU first calls is built in its runtime).
      const wait = session.loginBlockedUntil - Date.now();
      if (wait > 0) {
        // Logins are rate limited: wait (bounded, so the VU still stops on time) instead of spinning.
        sleep(Math.min(wait, 10_000) / 1000);
        return;
      }
      try {
        ITERATIONS[vu.persona](vu.api, vu.ordinal);
      } catch (e) {
        if (e !== RUN_OVER) throw e;
      }
    },
  };
}
