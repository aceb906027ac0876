// Finds the k6 binary: K6_BIN, then a compatible `k6` on PATH, then the per-machine cached build.

import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { K6_FALLBACK, K6_VERSION } from '../version.js';
import { formatVersion, isCompatible, parseK6Version, type SemVer } from './version.js';

const run = promisify(execFile);

export type K6Source = 'K6_BIN' | 'PATH' | 'cache';

export interface K6Binary {
  path: string;
  version: string;
  source: K6Source;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The user's cache folder for this toolkit ($XDG_CACHE_HOME or ~/.cache), shared by every clone on the machine. */
export function cacheRoot(env: Env): string {
  if (env.CONECTA_CACHE_DIR) return env.CONECTA_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'conecta-load');
}

/** Where the build of one k6 version lives: `<cache>/k6-v2.2.0/k6`. */
export function cachedK6Path(env: Env, version = K6_VERSION): string {
  return join(cacheRoot(env), `k6-${version}`, 'k6');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs `<path> version`; undefined when it does not run or does not print a k6 version. */
export async function probeVersion(path: string): Promise<SemVer | undefined> {
  try {
    const { stdout } = await run(path, ['version'], { timeout: 15_000 });
    return parseK6Version(stdout);
  } catch {
    return undefined;
  }
}

function onPath(env: Env, name: string): string[] {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .filter(isExecutable);
}

/** Resolution order: K6_BIN (trusted, whatever its version), a compatible k6 on PATH, the cached build (pin, then fallback). */
export async function findK6(env: Env): Promise<K6Binary | undefined> {
  if (env.K6_BIN) {
    const v = await probeVersion(env.K6_BIN);
    if (!v) throw new ConectaError(`K6_BIN=${env.K6_BIN} is not a runnable k6 binary`, ExitCode.K6_MISSING);
    return { path: env.K6_BIN, version: formatVersion(v), source: 'K6_BIN' };
  }
  for (const path of onPath(env, 'k6')) {
    const v = await probeVersion(path);
    if (v && isCompatible(v)) return { path, version: formatVersion(v), source: 'PATH' };
  }
  for (const cached of [cachedK6Path(env), cachedK6Path(env, K6_FALLBACK.version)]) {
    if (!isExecutable(cached)) continue;
    const v = await probeVersion(cached);
    if (v) return { path: cached, version: formatVersion(v), source: 'cache' };
  }
  return undefined;
}

/** The message when no k6 can be found or built: every route to get one. */
export const INSTALL_ROUTES =
  `install k6 ${K6_VERSION} by one of: \`make install\` (builds it with Go into ~/.cache/conecta-load), ` +
  `\`go install go.k6.io/k6/v2@${K6_VERSION}\`, Grafana's apt/dnf repositories (dl.k6.io), \`brew install k6\`, ` +
  `or the grafana/k6 container image; then put it on PATH or set K6_BIN`;
