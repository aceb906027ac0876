// The users file's format (USERS_FILE, `--users-file`): a JSON list of {"email","password","role"}. One owner for
// the bundled scenarios (read in k6's init context), `run`/`capacity run --users-file` and `k8s testrun`, which check
// a file before any load. Pure: imports nothing, so k6 bundles and Node code both use it.

import type { User } from './config.js';

/** Validates a users list; a bad one names its source and the first bad entry. */
export function parseUsers(text: string, source: string): User[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new Error(`${source}: expected a JSON array of {"email","password","role"}`);
  return data.map((u: unknown, i) => {
    const o = u as Partial<Record<keyof User, unknown>> | null;
    if (!o || typeof o.email !== 'string' || typeof o.password !== 'string' || typeof o.role !== 'string') {
      throw new Error(`${source}: [${i}]: expected {"email","password","role"} strings`);
    }
    return { email: o.email, password: o.password, role: o.role };
  });
}
