// The full stack on declared budgets: the kernel holds each component's quota, set and limit; a quota-starved API
// instance is slower than its peer; no group is left after down, also after a killed up; and without writable
// cgroups one line says so and the stack runs shared.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup, detectCgroups, pidsIn, readBack, stackDirs, type CgroupHost } from '../../lib/sandbox/cgroup.js';
import { stopSandbox } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/state.js';
import { sleep } from '../../lib/sandbox/process.js';
import { freeBlock, startFull } from './full-stack-helpers.js';

const BIN = resolve(import.meta.dirname, '../../bin/conecta-load.js');
const detected = detectCgroups();
const host = detected.ok ? detected.host : undefined;
const MiB256 = 256 * 1024 ** 2;

/** Polls `check` until it returns a value, at most `ms`; fails loudly with `what`. */
async function until<T>(what: string, check: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not seen within ${ms / 1000} s: ${what}`);
    await sleep(100);
  }
}

/** Wall time of `n` GETs of /health straight to an API instance, four at a time. */
async function timeRequests(port: number, n: number): Promise<number> {
  const t0 = performance.now();
  let left = n;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (left-- > 0) {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
  }));
  return performance.now() - t0;
}

const groupsLeft = (h: CgroupHost, port: number) => Object.values(stackDirs(h, port)).filter((d) => existsSync(d));

describe.runIf(host !== undefined)('budgets on the full stack (cgroups writable)', () => {
  let stack: Awaited<ReturnType<typeof startFull>>;
  beforeAll(async () => {
    stack = await startFull({ instances: 2, budgets: { cpu: { api: 0.25, db: 0.2 }, mem: { api: MiB256 } } });
  }, 240_000);
  afterAll(async () => stack?.cleanup());

  it('the kernel holds each component’s budget, and each component runs inside its group', () => {
    const st = readFullState(stack.sb.port)!;
    expect(st.budget.mode).toBe('isolated');
    expect(st.budget.plan).toMatchObject({ stackCpus: '1', generatorCpus: '0' });
    const apis = st.components.filter((c) => c.role === 'api');
    expect(apis.map((c) => c.name)).toEqual(['api-1', 'api-2']);
    const dirsOf = (name: string) => {
      const d = stackDirs(host!, stack.sb.port);
      return { cpu: join(d.cpu, name), cpuset: join(d.cpuset, name), memory: join(d.memory, name) };
    };
    for (const c of apis) {
      expect(readBack(host!, dirsOf(c.name))).toEqual({ cpu: 0.25, cpus: '1', memBytes: MiB256 });
      expect(pidsIn(dirsOf(c.name).cpu)).toContain(c.pid);
    }
    expect(readBack(host!, dirsOf('postgres-primary'))).toEqual({ cpu: 0.2, cpus: '1', memBytes: undefined });
    // PostgreSQL's forked backends started inside the group too, not only the postmaster.
    expect(pidsIn(dirsOf('postgres-primary').cpu).length).toBeGreaterThan(3);
    expect(readBack(host!, dirsOf('nginx'))).toEqual({ cpu: undefined, cpus: '1', memBytes: undefined });
    expect(readBack(host!, dirsOf('generator'))).toEqual({ cpu: undefined, cpus: '0', memBytes: undefined });
  });

  it('an instance starved to 0.05 CPU serves the same requests slower than its 0.25 CPU peer', async () => {
    const st = readFullState(stack.sb.port)!;
    const [a1, a2] = [st.components.find((c) => c.name === 'api-1')!, st.components.find((c) => c.name === 'api-2')!];
    createGroup(host!, stack.sb.port, 'api-1', { cpu: 0.05, cpus: '1', memBytes: MiB256 });
    await timeRequests(a2.port, 20); // warm both connections' paths
    await timeRequests(a1.port, 20);
    const peer = await timeRequests(a2.port, 300);
    const starved = await timeRequests(a1.port, 300);
    expect(starved).toBeGreaterThan(2 * peer);
  }, 120_000);

  it('down removes every group it made', async () => {
    const port = stack.sb.port;
    expect(groupsLeft(host!, port).length).toBe(3);
    await stopSandbox(port);
    expect(groupsLeft(host!, port)).toEqual([]);
  }, 60_000);
});

/** `sandbox up --stack full` as its own process, SIGKILLed once `seen` holds for its state file. */
async function killedUp(env: NodeJS.ProcessEnv, seen: (port: number, stderr: string) => boolean): Promise<{ port: number; stderr: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-cg-'));
  const port = await freeBlock();
  const child = spawn(process.execPath, [BIN, 'sandbox', 'up', '--stack', 'full', '--port', String(port), '--instances', '1', '--api-cpu', '0.25',
    '--data-dir', join(dir, 'data'), '--seed-scale', '0.05'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await until(`the state file of port ${port}`, () => (seen(port, stderr) ? true : undefined), 120_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return { port, stderr, dir };
}

describe('a killed up, and no cgroup rights', () => {
  it.runIf(host !== undefined)('down after a SIGKILLed up leaves no group', async () => {
    const { port, dir } = await killedUp({}, (p) => (readFullState(p)?.components.some((c) => c.name === 'postgres-primary') ?? false));
    expect(groupsLeft(host!, port).length).toBe(3);
    expect(await stopSandbox(port)).toBe(true);
    expect(groupsLeft(host!, port)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('says so in one line and runs shared when the cgroup root cannot be written', async () => {
    const { port, stderr, dir } = await killedUp({ CONECTA_CGROUP_ROOT: '/nonexistent/cgroup-root' },
      (p, err) => err.includes('cgroups:') && (readFullState(p)?.components.length ?? 0) > 0);
    expect(stderr.split('\n').filter((l) => l.includes('cgroups:'))).toEqual([
      'sandbox: cgroups: not writable here (/nonexistent/cgroup-root is absent); the stack runs shared',
    ]);
    const b = readFullState(port)!.budget;
    expect({ mode: b.mode, why: b.why, summary: b.summary, dirs: b.dirs }).toEqual({
      mode: 'shared', why: '/nonexistent/cgroup-root is absent', summary: 'the stack ran shared (/nonexistent/cgroup-root is absent)', dirs: [],
    });
    expect(await stopSandbox(port)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
