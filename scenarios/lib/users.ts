// Which logins the VUs use: USERS_FILE (opened in the init context) or the sandbox's `GET /__sandbox/users`.

import http from 'k6/http';
import type { Persona, ScenarioEnv, User } from '../config.js';

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

/** Reads USERS_FILE; must be called in the init context (k6's open() only works there). */
export function usersFromFile(env: ScenarioEnv): User[] | null {
  return env.usersFile === undefined ? null : parseUsers(open(env.usersFile), env.usersFile);
}

/** setup(): the file's users, else the sandbox's; fails the test at once if a persona has nobody to log in as. */
export function setupUsers(env: ScenarioEnv, fromFile: User[] | null, personas: readonly Persona[]): User[] {
  let users = fromFile;
  if (users === null) {
    const url = `${env.target}/__sandbox/users`;
    const res = http.get(url, { tags: { name: 'GET /__sandbox/users', persona: 'setup' } });
    if (res.status !== 200) {
      throw new Error(`GET ${url} answered ${res.status}: set USERS_FILE to a JSON list of {"email","password","role"}`);
    }
    users = parseUsers(String(res.body), url);
  }
  for (const p of personas) {
    if (!users.some((u) => u.role === p)) throw new Error(`no user with role '${p}' to log in as (${env.usersFile ?? 'GET /__sandbox/users'})`);
  }
  return users;
}
