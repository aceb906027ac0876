// The full stack on declared budgets: the kernel holds each component's quota, set and limit; a quota-starved API
// instance is slower than its peer; no group is left after down, also after a killed up; and without writable
// cgroups one line says so and the stack runs shared.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../lib/io.js';
import { runLoad } from '../../lib/run/run.js';
import { createGroup, detectCgroups, pidsIn, readBack, stackDirs, type CgroupHost } from '../../lib/sandbox/cgroup.js';
import { stopSandbox } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/state.js';
import { sleep } from '../../lib/sandbox/process.js';
import { cpuSplit } from '../../lib/sandbox/full/budget.js';
import { runCli } from './cli-process.js';
import { freeBlock, startFull } from './full-stack-helpers.js';
import { fullStateFile } from '../../lib/sandbox/state.js';

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

/** This process's CPU affinity list as taskset prints it. */
const affinity = () => /list:\s*(\S+)/.exec(execFileSync('taskset', ['-c', '-p', String(process.pid)]).toString())![1];
const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Mean upstream response time (s) and count per upstream address, from nginx's access log (`upstream=A urt=T`). */
function upstreamTimes(log: string): Map<string, { n: number; meanS: number }> {
  const sums = new Map<string, { n: number; sum: number }>();
  for (const m of log.matchAll(/upstream=(\S+) urt=([\d.]+) /g)) {
    const s = sums.get(m[1]!) ?? { n: 0, sum: 0 };
    sums.set(m[1]!, { n: s.n + 1, sum: s.sum + Number(m[2]) });
  }
  return new Map([...sums].map(([a, s]) => [a, { n: s.n, meanS: s.sum / s.n }]));
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
    // 150 requests: the starved one's quota (5 ms each 100 ms) throttles it many times over either way.
    const peer = await timeRequests(a2.port, 150);
    const starved = await timeRequests(a1.port, 150);
    expect(starved).toBeGreaterThan(2 * peer);
  }, 120_000);

  it('a run through nginx: k6 inside the generator group, the ingest on its CPU, the budget recorded, the starved instance slower in nginx\'s upstream log', async () => {
    const port = stack.sb.port;
    const st = readFullState(port)!;
    const gen = join(stackDirs(host!, port).cpuset, 'generator');
    const before = affinity();
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const running = runLoad({
      scenario: 'mix', profile: 'smoke', target: stack.sb.url, steadyS: 10, outDir: join(stack.dir, 'run'),
      env: { THINK_MIN_S: '0.05', THINK_MAX_S: '0.2', MIX: '1,1,1' }, progress: false,
    }, io);
    const failed = running.then(() => undefined, (e: unknown) => e);
    // k6 is seen inside the generator's cpuset group while it runs, and this process (the ingest) on the generator's CPU.
    const k6 = await until('k6 in the generator group', () => pidsIn(gen).find((p) => comm(p) === 'k6'), 60_000);
    const during = affinity();
    const k6Cpus = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${k6}/status`, 'utf8'))?.[1];
    expect(await failed).toBeUndefined();
    const { dir, result } = await running;
    expect({ during, k6Cpus, after: affinity() }).toEqual({ during: '0', k6Cpus: '0', after: before });
    const budget = {
      isolation: 'isolated', summary: 'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 2 × 0.25, PostgreSQL 2 × 0.2, the rest within the set; memory API 2 × 256 MiB',
      stackCpus: '1', generatorCpus: '0', cpu: { api: 0.25, db: 0.2 }, mem: { api: MiB256 }, instances: 2, generator: { k6: true, ingest: true },
    };
    expect(result.budget).toEqual(budget);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).budget).toEqual(budget);
    expect(result.overall.requests).toBeGreaterThan(0);

    // Per instance, from nginx's own log: api-1 (its quota cut to 0.05 CPU above) answers slower than api-2 (0.25).
    const addr = (name: string) => `127.0.0.1:${st.components.find((c) => c.name === name)!.port}`;
    const log = join(st.root, 'nginx', 'logs', 'access.log');
    const times = await until('both instances in nginx\'s access log', () => {
      const t = upstreamTimes(readFileSync(log, 'utf8'));
      return (t.get(addr('api-1'))?.n ?? 0) >= 20 && (t.get(addr('api-2'))?.n ?? 0) >= 20 ? t : undefined;
    }, 10_000);
    const [starved, peer] = [times.get(addr('api-1'))!, times.get(addr('api-2'))!];
    console.log(`upstream mean: api-1 (0.05 CPU) ${(starved.meanS * 1000).toFixed(1)} ms over ${starved.n}, api-2 (0.25 CPU) ${(peer.meanS * 1000).toFixed(1)} ms over ${peer.n}; k6 pid ${k6} in ${gen}`);
    expect(starved.meanS).toBeGreaterThan(2 * peer.meanS);
  }, 180_000);

  it('down removes every group it made', async () => {
    const port = stack.sb.port;
    expect(groupsLeft(host!, port).length).toBe(3);
    await stopSandbox(port);
    expect(groupsLeft(host!, port)).toEqual([]);
  }, 60_000);
});

/** Live processes whose working folder is inside `root` (the stack's processes run there). */
function processesIn(root: string): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      return readlinkSync(`/proc/${p}/cwd`).startsWith(root) ? [`${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Components of the stack on `port` its state file does not list: process-group leaders (as every component is)
 * working in its folder under a parent that does not (PostgreSQL's own children lead groups under the postmaster).
 */
function unrecordedLeaders(port: number): number[] {
  const st = readFullState(port);
  if (!st?.root || st.components.length === 0) return [];
  const recorded = new Set(st.components.map((c) => c.pid));
  const pidsIn = new Set(processesIn(st.root).map((l) => Number(l.split(' ')[0])));
  return [...pidsIn].filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      return !recorded.has(pid) && pgrp === pid && !pidsIn.has(ppid!);
    } catch {
      return false;
    }
  });
}

/**
 * Folders the killed starts leave: their temp dir, and the stack's folder, which under root a 0700 temp dir puts in
 * /var/lib/conecta-load (layout.ts's stackRoot). Removed after the tests, whatever they asserted.
 */
const killedFolders: string[] = [];
afterAll(() => killedFolders.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `sandbox up --stack full` as its own process, SIGKILLed once `seen` holds for its state file. */
async function killedUp(env: NodeJS.ProcessEnv, seen: (port: number, stderr: string) => boolean): Promise<{ port: number; stderr: string; root: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-cg-'));
  killedFolders.push(dir);
  const port = await freeBlock();
  const child = spawn(process.execPath, [BIN, 'sandbox', 'up', '--stack', 'full', '--port', String(port), '--instances', '1', '--api-cpu', '0.25',
    '--data-dir', join(dir, 'data'), '--seed-scale', '0.05'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await until(`the state file of port ${port}`, () => (seen(port, stderr) ? true : undefined), 120_000);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const root = readFullState(port)?.root ?? '';
  if (root !== '') killedFolders.push(root);
  return { port, stderr, root };
}

describe('a killed up, and no cgroup rights', () => {
  it.runIf(host !== undefined)('down after a SIGKILLed up leaves no group', async () => {
    const { port, root } = await killedUp({}, (p) => (readFullState(p)?.components.some((c) => c.name === 'postgres-primary') ?? false));
    expect(root).not.toBe('');
    expect(groupsLeft(host!, port).length).toBe(3);
    expect(await stopSandbox(port)).toBe(true);
    expect(groupsLeft(host!, port)).toEqual([]);
    // Whatever the killed start had launched (Redis starts beside PostgreSQL) is stopped too.
    expect(processesIn(root)).toEqual([]);
  }, 180_000);

  it('says so in one line and runs shared when the cgroup root cannot be written', async () => {
    // Killed while a component runs that the state file does not list yet (launched, not yet ready).
    const { port, stderr, root } = await killedUp({ CONECTA_CGROUP_ROOT: '/nonexistent/cgroup-root' },
      (p, err) => err.includes('cgroups:') && unrecordedLeaders(p).length > 0);
    expect(stderr.split('\n').filter((l) => l.includes('cgroups:'))).toEqual([
      'sandbox: cgroups: not writable here (/nonexistent/cgroup-root is absent); the stack runs shared',
    ]);
    const b = readFullState(port)!.budget;
    expect({ mode: b.mode, why: b.why, summary: b.summary, dirs: b.dirs }).toEqual({
      mode: 'shared', why: '/nonexistent/cgroup-root is absent', summary: 'the stack ran shared (/nonexistent/cgroup-root is absent)', dirs: [],
    });
    expect(await stopSandbox(port)).toBe(true);
    // The component the state file never listed stops all the same.
    expect(processesIn(root)).toEqual([]);
  }, 180_000);
});

describe('a run against a stack that could not be confined', () => {
  it('marks run.json and result.json "isolation": "shared" with why, and says so in one line', async () => {
    const why = '/nonexistent/cgroup-root is absent';
    const said: string[] = [];
    process.env.CONECTA_CGROUP_ROOT = '/nonexistent/cgroup-root';
    let stack: Awaited<ReturnType<typeof startFull>>;
    try {
      stack = await startFull({ instances: 1, budgets: { cpu: { api: 0.5 } }, say: (l) => said.push(l) });
    } finally {
      delete process.env.CONECTA_CGROUP_ROOT;
    }
    try {
      expect(said.filter((l) => l.startsWith('cgroups:'))).toEqual([`cgroups: not writable here (${why}); the stack runs shared`]);
      const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
      const { dir, result } = await runLoad({
        scenario: 'mix', profile: 'smoke', target: stack.sb.url, steadyS: 5, outDir: join(stack.dir, 'run'),
        env: { THINK_MIN_S: '0.2', THINK_MAX_S: '0.5', MIX: '1,1,1' },
      }, io);
      const shared = { isolation: 'shared', why, summary: `the stack ran shared (${why})` };
      expect(result.budget).toEqual(shared);
      expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).budget).toEqual(shared);
      expect(io.err.join('').split('\n').filter((l) => l.includes('budget:'))).toEqual([`  budget: the stack ran shared (${why})`]);
    } finally {
      await stack.cleanup();
    }
  }, 240_000);
});

describe('bad budgets', () => {
  it('a budget of 0, above the machine, or more instances than the stack set holds: one line, exit 2, nothing started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-cg-bad-'));
    const port = await freeBlock();
    const up = (...flags: string[]) => runCli(dir, ['sandbox', 'up', '--stack', 'full', '--port', String(port), '--data-dir', join(dir, 'data'), ...flags]);
    const cores = availableParallelism();
    const stack = cpuSplit(cores).stack;
    const set = stack.length === 1 ? `${stack[0]}` : `${stack[0]}-${stack.at(-1)}`;
    // Each instance within the stack's set, three of them beyond it (2 cores: 3 × 0.4 = 1.2 on CPU 1).
    const api = Math.round(stack.length * 0.4 * 1000) / 1000;
    const outcomes = await Promise.all([
      up('--api-cpu', '0'), up('--db-cpu', String(cores + 1)), up('--instances', '3', '--api-cpu', String(api)),
    ]);
    expect(outcomes.map((o) => ({ code: o.code, lines: o.stderr.trim().split('\n').length }))).toEqual([
      { code: 2, lines: 1 }, { code: 2, lines: 1 }, { code: 2, lines: 1 },
    ]);
    expect(outcomes[0]!.stderr).toBe('conecta-load: --api-cpu must be a positive number, got "0"\n');
    expect(outcomes[1]!.stderr).toBe(`conecta-load: sandbox: --db-cpu ${cores + 1} is above this machine's ${cores} CPUs\n`);
    expect(outcomes[2]!.stderr).toBe(`conecta-load: sandbox: 3 API instances × --api-cpu ${api} = ${Math.round(3 * api * 1000) / 1000} CPU, more than the stack's CPU set ${set} holds (${stack.length} CPU)\n`);
    // Nothing started: no state file, no group, no data folder.
    expect(existsSync(fullStateFile(port))).toBe(false);
    if (host) expect(groupsLeft(host, port)).toEqual([]);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
