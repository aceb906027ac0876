// `capacity run --instances 1,2,3 --scale-command 'CMD {n}'`: the user's own stack resized by their command (e.g.
// `kubectl scale deploy/api --replicas={n}`), then awaited until its readiness URL answers 2xx, within a bound.

import { runExec } from '../chaos/exec.js';
import { ConectaError, ExitCode } from '../exit-codes.js';

export const SCALE_READY_TIMEOUT_S = 120;
/** How long the resize command itself may run. */
export const SCALE_COMMAND_TIMEOUT_MS = 300_000;

/** Checks the template before any load: it must say where the count goes. */
export function checkScaleCommand(template: string): void {
  if (!template.trim()) throw new ConectaError('--scale-command is empty: give a command with {n} where the instance count goes', ExitCode.USAGE);
  if (!template.includes('{n}')) {
    throw new ConectaError(`--scale-command ${JSON.stringify(template)} has no {n}: it would run the same command at every count`, ExitCode.USAGE, 'e.g. --scale-command \'kubectl scale deploy/api --replicas={n}\'');
  }
}

/** GET `url` until it answers 2xx; false when `timeoutMs` passes first. */
export async function awaitReady(url: string, timeoutMs: number, pollMs = 500): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(5000, Math.max(1, end - Date.now()))) });
      await res.body?.cancel();
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, end - Date.now()))));
  }
  return false;
}

/**
 * The starter for a user's stack: runs the command through /bin/sh with {n} replaced by the count (a whole number,
 * so nothing else enters the shell), then awaits the readiness URL. The stack is theirs: stop() leaves it as it is.
 */
export function scaleCommandStarter(template: string, target: string, readyUrl: string | undefined, readyTimeoutS = SCALE_READY_TIMEOUT_S): (n: number) => Promise<{ url: string; stop(): Promise<void> }> {
  checkScaleCommand(template);
  const ready = readyUrl ?? new URL('/health', target).href;
  return async (n) => {
    const cmd = template.replaceAll('{n}', String(n));
    const r = await runExec(['/bin/sh', '-c', cmd], process.env, SCALE_COMMAND_TIMEOUT_MS);
    if (!r.ok) {
      const err = r.exec?.stderr.trim().split('\n').at(-1);
      throw new ConectaError(`--scale-command for ${n} instance(s) failed: ${r.detail}${err ? ` (${err})` : ''}`, ExitCode.SANDBOX);
    }
    if (!(await awaitReady(ready, readyTimeoutS * 1000))) {
      throw new ConectaError(`after --scale-command for ${n} instance(s), ${ready} did not answer 2xx within ${readyTimeoutS} s`, ExitCode.TARGET_UNREACHABLE);
    }
    return { url: target, stop: async () => undefined };
  };
}
