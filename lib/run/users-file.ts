// `--users-file`: the logins a script or scenario uses against a stack that is not the sandbox. Checked here, before
// any load, against the one format (scenarios/users-file.ts), then handed to k6 as USERS_FILE (an absolute path, so
// k6's open() finds it from the run directory) — or, for k8s, shipped as text in the ConfigMap.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseUsers } from '../../scenarios/users-file.js';
import type { User } from '../../scenarios/config.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { regularFile } from '../input-files.js';
import { LIMITS } from '../input-limits.js';

export interface UsersFile {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
  readonly users: readonly User[];
}

/** Reads and checks a users file: bounded, regular, the format's JSON, at least one user. One line, exit 7. */
export function readUsersFile(file: string, cwd: string): UsersFile {
  const path = resolve(cwd, file);
  regularFile(path, LIMITS.maxUsersFileBytes, ExitCode.BAD_INPUT);
  const text = readFileSync(path, 'utf8');
  let users: User[];
  try {
    users = parseUsers(text, path);
  } catch (e) {
    throw new ConectaError(`--users-file ${(e as Error).message}`, ExitCode.BAD_INPUT);
  }
  if (users.length === 0) throw new ConectaError(`--users-file ${path}: no users in the list`, ExitCode.BAD_INPUT);
  return { path, text, users };
}

/** The script's environment with USERS_FILE set from `--users-file`; the same variable given with -e too is refused
 *  (two answers to one question). No file: `env` unchanged. */
export function withUsersFile(env: Record<string, string>, file: string | undefined, cwd: string): Record<string, string> {
  if (file === undefined) return env;
  if (env.USERS_FILE !== undefined) {
    throw new ConectaError('--users-file and -e USERS_FILE both name the users: give one', ExitCode.USAGE);
  }
  return { ...env, USERS_FILE: readUsersFile(file, cwd).path };
}
