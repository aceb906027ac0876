// A VU's first iteration: which persona it plays and which login it uses. lib/bundle places this module's code
// inside vuStart()'s body (lib/bundle/once-chunks.ts), so the persona maths' functions are garbage once it returns
// instead of being held by every VU for the whole test.

import { personaForVu, type Persona, type ScenarioName, type User } from '../config.js';
import type { SetupData } from './init-instance.js';

/** The VU's persona, its place among that persona's VUs (0-based), and its login. */
export function vuStart(scenario: ScenarioName, vuId: number, data: SetupData): { persona: Persona; ordinal: number; user: User } {
  const { persona, ordinal } = scenario === 'mix' ? personaForVu(vuId, data.vu.mix) : { persona: scenario, ordinal: vuId - 1 };
  return { persona, ordinal, user: userFor(data.users, persona, ordinal) };
}

/** The `ordinal`-th VU of a persona takes that persona's users round-robin. */
function userFor(users: readonly User[], persona: Persona, ordinal: number): User {
  const mine = users.filter((u) => u.role === persona);
  const u = mine[ordinal % mine.length];
  if (!u) throw new Error(`no user with role '${persona}'`);
  return u;
}
