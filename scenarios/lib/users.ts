// Which logins the VUs use: USERS_FILE (opened in the init context) or the sandbox's `GET /__sandbox/users`.

import http from 'k6/http';
import type { Persona, ScenarioEnv, User } from '../config.js';
import { parseUsers } from '../users-file.js';

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
