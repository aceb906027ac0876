// The one process module of both stacks and of lib/sandbox: is a pid alive (a zombie is not), signal or stop a
// process group and wait for it to exit, and whether a loopback port is free or answering. It lives in sandbox/
// because the stacks' own launchers need it and sandbox/ imports nothing of lib/; lib/ reaches it through
// lib/sandbox/process.ts.

import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export const HOST = '127.0.0.1';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether `file` is a regular file this process may execute. */
export function executableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether `pid` runs. A zombie answers kill(0) but holds nothing and only awaits its parent's wait(): dead here. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false; // gone between the two looks
  }
}

/** A signal to the process group `pid` leads (each stack process leads its own), else to `pid` alone; gone is fine. */
export function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Resolves true once `pid` has exited (or is a zombie), false if it still runs after `timeoutMs`. Polls: a
 * process this one did not spawn sends it no exit event.
 */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Stops a process and what it started: `signal` to `pid` (its graceful stop, which may drain its children), then
 * SIGKILL to its whole group after `timeoutMs`, and waits for it to be gone. A pid already gone still gets the
 * group SIGKILL, so workers it left behind go too.
 */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
  if (!alive(pid)) return signalGroup(pid, 'SIGKILL');
  try {
    process.kill(pid, signal);
  } catch {
    /* gone meanwhile */
  }
  await waitForExit(pid, timeoutMs);
  signalGroup(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
}

/** A crash: SIGKILL to the process group `pid` leads, resolved once `pid` is gone (at most `timeoutMs`). */
export async function killGroup(pid: number, timeoutMs = 5_000): Promise<boolean> {
  signalGroup(pid, 'SIGKILL');
  return waitForExit(pid, timeoutMs);
}

/** Whether a loopback listener can take `port` now. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}

/** The first of `ports` a loopback listener cannot take now (a stack's port check), or undefined when all are free. */
export async function firstTaken<T extends { port: number }>(ports: readonly T[]): Promise<T | undefined> {
  for (const p of ports) if (!(await canBind(p.port))) return p;
  return undefined;
}

/** Whether something accepts TCP connections on loopback `port`. */
export function tcpOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: HOST, port, timeout: timeoutMs });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
  });
}
