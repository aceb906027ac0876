// Launching for the full stack's services: spawn one detached (its own process group, so `down` can kill its
// workers too and a Ctrl-C of the caller does not), wait until it is ready, and run it as the dedicated system
// user when we are root (PostgreSQL refuses root; the rest follows for one owner). Alive, stop and port checks
// are the one process module's (sandbox/process.ts).

import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addPid, type Group } from '../cgroup.js';
import { alive, sleep } from '../process.js';

/** The system user the stack runs as when started by root (scripts/install-system-deps.sh creates it). */
export const SERVICE_USER = 'conecta';

export interface RunAs {
  uid: number;
  gid: number;
}

/** uid/gid of SERVICE_USER when we are root; undefined otherwise (run as ourselves). Throws when it is missing. */
export function serviceUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${SERVICE_USER}:`));
  if (!line) throw new Error(`system user "${SERVICE_USER}" is missing (PostgreSQL refuses root); install it with: sudo scripts/install-system-deps.sh`);
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** mkdir -p, owned by the service user when we are root. */
export function ownedDir(dir: string, as: RunAs | undefined, mode = 0o755): string {
  // Parents get the default mode: a 0700 parent owned by root would lock the service user out.
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  if (as) chownSync(dir, as.uid, as.gid);
  return dir;
}

/** chown -R to the service user (files a root caller wrote into a service's directory). */
export function chownTree(path: string, as: RunAs | undefined): void {
  if (!as || !existsSync(path)) return;
  chownSync(path, as.uid, as.gid);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), as);
}

/** Whether the service user can reach (traverse) `dir`; always true when not root. */
export function reachable(dir: string, as: RunAs | undefined): boolean {
  if (!as) return true;
  return spawnSync('runuser', ['-u', SERVICE_USER, '--', 'test', '-x', dir], { stdio: 'ignore' }).status === 0;
}

export interface Spawned {
  pid: number;
  logFile: string;
  /** Resolves true once the process has exited (as seen by this process, which spawned it). */
  exited(): boolean;
}

/** The cgroup the launches of the component being started join (one per component; absent: the stack runs shared). */
const launchGroup = new AsyncLocalStorage<Group | undefined>();

/** Runs `start` so that every process it launches joins `group` before it runs its own code. */
export function inGroup<T>(group: Group | undefined, start: () => Promise<T>): Promise<T> {
  return launchGroup.run(group, start);
}

/**
 * A shell that waits for one line on stdin, then execs the command (pid unchanged, stdin back to /dev/null): the
 * caller moves the pid into its cgroup in between, so the service and every worker it forks start inside it.
 */
const JOIN_THEN_EXEC = 'read -r _ && exec "$0" "$@" </dev/null';

/** Starts `cmd args` detached with stdout/stderr appended to `logFile`; never waits for it. */
export function launch(cmd: string, args: string[], o: { logFile: string; env?: NodeJS.ProcessEnv; as?: RunAs; cwd?: string }): Spawned {
  const fd = openSync(o.logFile, 'a');
  if (o.as) chownSync(o.logFile, o.as.uid, o.as.gid);
  const group = launchGroup.getStore();
  const [file, argv] = group ? ['sh', ['-c', JOIN_THEN_EXEC, cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, {
    detached: true, stdio: [group ? 'pipe' : 'ignore', fd, fd],
    // cwd inside the stack folder: leftovers() recognises a killed run's processes by it.
    cwd: o.cwd ?? dirname(o.logFile), env: o.env ?? process.env,
    uid: o.as?.uid, gid: o.as?.gid,
  });
  closeSync(fd);
  let gone = false;
  child.once('exit', () => (gone = true));
  child.once('error', () => (gone = true));
  child.unref();
  if (child.pid === undefined) throw new Error(`could not spawn ${cmd}`);
  if (group) {
    try {
      addPid(group, child.pid);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${cmd}: could not join cgroup ${group.dirs.cpu}: ${(e as Error).message}`);
    }
    child.stdin!.end('\n');
  }
  return { pid: child.pid, logFile: o.logFile, exited: () => gone || !alive(child.pid!) };
}

/** The last non-empty line of a log: why a service died. */
export function lastLine(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter((l) => l.trim()).at(-1)?.slice(0, 300) ?? 'no output';
  } catch {
    return 'no output';
  }
}

/** Polls `ready` until true; throws with the service's last log line if it dies or the time is up. */
export async function waitUntil(what: string, p: Spawned, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (p.exited()) throw new Error(`${what} exited during start: ${lastLine(p.logFile)} (see ${p.logFile})`);
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s (see ${p.logFile})`);
    await sleep(100);
  }
}

/** Runs a command to completion; throws its last output line on failure. */
export function run(cmd: string, args: string[], o: { env?: NodeJS.ProcessEnv; as?: RunAs; input?: string; timeoutMs?: number } = {}): string {
  const r = spawnSync(cmd, args, {
    env: o.env ?? process.env, uid: o.as?.uid, gid: o.as?.gid, input: o.input, encoding: 'utf8', timeout: o.timeoutMs ?? 120_000,
  });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = (r.stderr || r.stdout || '').trim().split('\n').filter((l) => l.trim());
    const why = lines.find((l) => /emerg|error|fatal|could not|denied/i.test(l)) ?? lines.at(-1) ?? `exit ${r.status}`;
    throw new Error(`${cmd} failed: ${why}`);
  }
  return r.stdout;
}
