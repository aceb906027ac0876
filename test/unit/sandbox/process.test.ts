import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, canBind, killGroup, stopPid, waitForExit } from '../../../lib/sandbox/process.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.pid !== undefined) try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
});

/** Starts `sh -c script` leading its own process group; resolves with it and the first line it prints. */
async function shell(script: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes('\n')) break;
  }
  return { child, line: out.trim() };
}

const state = (pid: number) => {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return 'gone';
  }
};

/** Polls /proc until `pid` is in state `s` (a bounded wait for the kernel's event, failing loudly). */
async function untilState(pid: number, s: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (state(pid) !== s) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} not in state ${s} after ${timeoutMs} ms (is ${state(pid)})`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('alive', () => {
  it('is true for a running process and false for a zombie, though a zombie still answers kill(0)', async () => {
    // A parent that forks a child which exits at once and never wait()s for it: the child stays a zombie. (A shell
    // may reap a background job before it execs, so the parent is a program that certainly does not.)
    const { line } = await shell(`exec python3 -c 'import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True); time.sleep(30)'`);
    const zombie = Number(line);
    expect(zombie).toBeGreaterThan(1);
    await untilState(zombie, 'Z');
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(alive(zombie)).toBe(false);
    expect(alive(process.pid)).toBe(true);
  });

  it('is false for a pid that exited and was reaped', async () => {
    const child = spawn('true');
    await once(child, 'exit');
    expect(alive(child.pid!)).toBe(false);
  });
});

describe('process-group kill', () => {
  it('killGroup takes the leader and its grandchildren; the leader exits by SIGKILL', async () => {
    const { child, line } = await shell('sleep 30 & echo $!; wait');
    const grandchild = Number(line);
    expect(alive(grandchild)).toBe(true);
    const exit = once(child, 'exit');
    expect(await killGroup(child.pid!)).toBe(true);
    expect((await exit)[1]).toBe('SIGKILL');
    expect(await waitForExit(grandchild, 5000)).toBe(true);
  });

  it('stopPid lets the leader stop gracefully on its signal, then SIGKILLs what it left in its group', async () => {
    const { child, line } = await shell('trap "exit 7" TERM; sleep 30 & echo $!; wait');
    const grandchild = Number(line);
    const exit = once(child, 'exit');
    await stopPid(child.pid!, 'SIGTERM', 5000);
    expect(await exit).toEqual([7, null]);
    expect(await waitForExit(grandchild, 5000)).toBe(true);
  });

  it('waitForExit gives up with false on a process that keeps running', async () => {
    expect(await waitForExit(process.pid, 30)).toBe(false);
  });
});

describe('canBind', () => {
  it('is false while a listener holds the port and true once it is closed', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const { port } = srv.address() as { port: number };
    expect(await canBind(port)).toBe(false);
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await canBind(port)).toBe(true);
  });
});
