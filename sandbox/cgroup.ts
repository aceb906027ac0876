// Linux cgroups for the full stack's budgets: detect v1 (one mount per controller) or v2 (one unified tree),
// create `conecta-load-<port>/<component>` beneath the group this process already runs in (per controller, from
// /proc/self/cgroup: a group the machine set, e.g. a memory limit, keeps applying to everything below it), write a
// CPU quota, a CPU set and a memory limit, add pids, read back what the kernel holds, and remove the groups from
// their paths alone (after a crash too). It lives in sandbox/ because the stack's launchers use it; lib/ reaches
// it through lib/sandbox/cgroup.ts.

import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CONTROLLERS = ['cpu', 'cpuset', 'memory'] as const;
export type Controller = (typeof CONTROLLERS)[number];

/** The environment variable that moves the cgroup filesystem's root (tests: a read-only or absent root). */
export const CGROUP_ROOT_ENV = 'CONECTA_CGROUP_ROOT';
export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

/** Where this process runs, per controller, as /proc/self/cgroup says: v1 lines name controllers, v2's is `0::`. */
export interface SelfGroups {
  v1: Partial<Record<string, string>>;
  v2?: string;
}

/** Parses /proc/<pid>/cgroup (`id:controllers:path` per line; `0::/path` is the v2 group). */
export function parseProcCgroup(text: string): SelfGroups {
  const out: SelfGroups = { v1: {} };
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, id, ctrls = '', path = ''] = m;
    if (id === '0' && ctrls === '') out.v2 = path;
    else for (const c of ctrls.split(',')) if (c) out.v1[c] = path;
  }
  return out;
}

/** A usable cgroup filesystem: the version, and for each controller the directory this process's group is. */
export interface CgroupHost {
  version: 1 | 2;
  root: string;
  /** Per controller, the absolute directory of the group this process runs in (v2: the same one for all). */
  self: Record<Controller, string>;
}

export type Detected = { ok: true; host: CgroupHost } | { ok: false; why: string };

export interface DetectOptions {
  root?: string;
  /** /proc/self/cgroup's text (tests). */
  procSelf?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

const writable = (dir: string): boolean => {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** Which cgroup version is mounted at the root and whether we can make groups beneath our own; `why` if not. */
export function detectCgroups(o: DetectOptions = {}): Detected {
  const root = o.root ?? o.env?.[CGROUP_ROOT_ENV] ?? process.env[CGROUP_ROOT_ENV] ?? DEFAULT_CGROUP_ROOT;
  let text = o.procSelf;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/cgroup', 'utf8');
    } catch {
      return { ok: false, why: 'no /proc/self/cgroup' };
    }
  }
  const self = parseProcCgroup(text);
  if (!existsSync(root)) return { ok: false, why: `${root} is absent` };
  let host: CgroupHost;
  if (existsSync(join(root, 'cgroup.controllers'))) {
    if (self.v2 === undefined) return { ok: false, why: 'cgroup v2 mounted but /proc/self/cgroup has no v2 line' };
    const have = readFileSync(join(root, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    const missing = CONTROLLERS.filter((c) => !have.includes(c));
    if (missing.length) return { ok: false, why: `cgroup v2 without the ${missing.join(', ')} controller` };
    const dir = resolve(root, `.${self.v2}`);
    host = { version: 2, root, self: { cpu: dir, cpuset: dir, memory: dir } };
  } else {
    const self1 = {} as Record<Controller, string>;
    for (const c of CONTROLLERS) {
      if (!existsSync(join(root, c, 'cgroup.procs'))) return { ok: false, why: `no cgroup v1 ${c} controller at ${join(root, c)}` };
      const p = self.v1[c];
      if (p === undefined) return { ok: false, why: `/proc/self/cgroup names no ${c} group` };
      self1[c] = resolve(root, c, `.${p}`);
    }
    host = { version: 1, root, self: self1 };
  }
  for (const c of CONTROLLERS) {
    const d = host.self[c];
    if (!existsSync(d)) return { ok: false, why: `our ${c} group ${d} is not visible` };
    if (!writable(d)) return { ok: false, why: `${d} is not writable` };
  }
  return { ok: true, host };
}

/** The notice a caller prints when it runs without budgets. */
export const sharedNotice = (why: string) => `cgroups: not writable here (${why}); the stack runs shared`;

/** A component's budget: CPU cores as a CFS quota, a CPU set ("1", "0-1"), memory in bytes; each optional. */
export interface Budget {
  cpu?: number;
  cpus?: string;
  memBytes?: number;
}

/** One group: its directory per controller. */
export interface Group {
  name: string;
  dirs: Record<Controller, string>;
}

export const stackGroupName = (port: number) => `conecta-load-${port}`;

/** The directories of `conecta-load-<port>` per controller (the subtree `down` removes). */
export function stackDirs(host: CgroupHost, port: number): Record<Controller, string> {
  return Object.fromEntries(CONTROLLERS.map((c) => [c, join(host.self[c], stackGroupName(port))])) as Record<Controller, string>;
}

/** CFS period in µs: 100 ms, the kernel's default, so a quota reads as a share of it. */
export const CFS_PERIOD_US = 100_000;

const put = (dir: string, file: string, value: string) => writeFileSync(join(dir, file), value);
const get = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();

/** The nearest ancestor's own cpuset.mems (v1: a new cpuset group holds none until one is written). */
function parentValue(dir: string, file: string): string {
  return get(join(dir, '..'), file);
}

function makeDir(host: CgroupHost, dir: string, c: Controller): void {
  if (!existsSync(dir)) mkdirSync(dir);
  if (c === 'cpuset' && host.version === 1) {
    // v1 refuses tasks in a cpuset without CPUs and memory nodes: start from the parent's.
    if (get(dir, 'cpuset.cpus') === '') put(dir, 'cpuset.cpus', parentValue(dir, 'cpuset.cpus'));
    if (get(dir, 'cpuset.mems') === '') put(dir, 'cpuset.mems', parentValue(dir, 'cpuset.mems'));
  }
}

/** v2: a group's children get the controllers only once the group lists them in cgroup.subtree_control. */
function enableSubtree(dir: string): void {
  const have = get(dir, 'cgroup.subtree_control').split(/\s+/);
  const want = CONTROLLERS.filter((c) => !have.includes(c));
  if (want.length) put(dir, 'cgroup.subtree_control', want.map((c) => `+${c}`).join(' '));
}

/** Creates `conecta-load-<port>/<component>` with `budget` (throws with the kernel's reason if it refuses). */
export function createGroup(host: CgroupHost, port: number, component: string, budget: Budget): Group {
  const top = stackDirs(host, port);
  const dirs = Object.fromEntries(CONTROLLERS.map((c) => [c, join(top[c], component)])) as Record<Controller, string>;
  if (host.version === 2) enableSubtree(host.self.cpu);
  for (const c of CONTROLLERS) {
    makeDir(host, top[c], c);
    if (host.version === 2 && c === 'cpu') enableSubtree(top.cpu);
    makeDir(host, dirs[c], c);
  }
  if (host.version === 1) {
    put(dirs.cpu, 'cpu.cfs_period_us', String(CFS_PERIOD_US));
    put(dirs.cpu, 'cpu.cfs_quota_us', budget.cpu === undefined ? '-1' : String(quotaUs(budget.cpu)));
    if (budget.cpus !== undefined) put(dirs.cpuset, 'cpuset.cpus', budget.cpus);
    if (budget.memBytes !== undefined) put(dirs.memory, 'memory.limit_in_bytes', String(budget.memBytes));
  } else {
    put(dirs.cpu, 'cpu.max', budget.cpu === undefined ? `max ${CFS_PERIOD_US}` : `${quotaUs(budget.cpu)} ${CFS_PERIOD_US}`);
    if (budget.cpus !== undefined) put(dirs.cpuset, 'cpuset.cpus', budget.cpus);
    if (budget.memBytes !== undefined) put(dirs.memory, 'memory.max', String(budget.memBytes));
  }
  return { name: component, dirs };
}

/** A quota in µs per CFS period for `cores` (the kernel's minimum is 1 ms). */
export const quotaUs = (cores: number) => Math.max(1000, Math.round(cores * CFS_PERIOD_US));

/** Moves `pid` into the group (every controller's directory; v2's are one). */
export function addPid(g: Group, pid: number): void {
  for (const d of new Set(Object.values(g.dirs))) put(d, 'cgroup.procs', String(pid));
}

/** The pids in a group's directory. */
export function pidsIn(dir: string): number[] {
  try {
    return get(dir, 'cgroup.procs').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** What the kernel holds for a group: the quota in cores (undefined: none), its CPU set, its memory limit. */
export interface ReadBack {
  cpu?: number;
  cpus: string;
  memBytes?: number;
}

export function readBack(host: Pick<CgroupHost, 'version'>, dirs: Record<Controller, string>): ReadBack {
  const cpus = get(dirs.cpuset, 'cpuset.cpus');
  const cpu = quotaOf(host.version, dirs.cpu);
  if (host.version === 1) {
    const mem = Number(get(dirs.memory, 'memory.limit_in_bytes'));
    // v1 reports "no limit" as a page-rounded LONG_MAX.
    return { cpu, cpus, memBytes: mem >= 2 ** 62 ? undefined : mem };
  }
  const mem = get(dirs.memory, 'memory.max');
  return { cpu, cpus, memBytes: mem === 'max' ? undefined : Number(mem) };
}

/** A cpu controller directory's quota in cores (v2: cpu.max; v1: cfs_quota_us over cfs_period_us); undefined: none. */
function quotaOf(version: CgroupHost['version'], cpuDir: string): number | undefined {
  if (version === 1) {
    const q = Number(get(cpuDir, 'cpu.cfs_quota_us'));
    return q < 0 ? undefined : q / Number(get(cpuDir, 'cpu.cfs_period_us'));
  }
  const [q, p] = get(cpuDir, 'cpu.max').split(' ');
  return q === 'max' ? undefined : Number(q) / Number(p);
}

/**
 * The CPU quota in cores a group holds now, from whichever of its directories is the cpu controller's (v2: cpu.max;
 * v1: cfs_quota_us over cfs_period_us); undefined when it has none or none could be read.
 */
export function cpuQuotaIn(dirs: readonly string[]): number | undefined {
  for (const d of dirs) {
    const version = existsSync(join(d, 'cpu.max')) ? 2 : existsSync(join(d, 'cpu.cfs_quota_us')) ? 1 : undefined;
    if (version === undefined) continue;
    try {
      return quotaOf(version, d);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Removes the directories and every group beneath them, leaves first. A group with live processes cannot go
 * (killing them is their owner's job): returns the directories left behind.
 */
export function removeGroups(dirs: readonly string[]): string[] {
  const left: string[] = [];
  const rm = (dir: string): boolean => {
    let ok = true;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return true; // already gone
    }
    for (const e of entries) {
      const sub = join(dir, e);
      try {
        if (statSync(sub).isDirectory()) ok = rm(sub) && ok;
      } catch {
        /* gone meanwhile */
      }
    }
    try {
      rmdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        left.push(dir);
        return false;
      }
    }
    return ok;
  };
  for (const d of new Set(dirs)) rm(d);
  return left;
}

/** Removes a stack's whole subtree by its port (after a crash, with no state file): the directories left behind. */
export function removeStackGroups(host: CgroupHost, port: number): string[] {
  return removeGroups(Object.values(stackDirs(host, port)));
}

/** `512M`, `1G`, `256k`, `1048576` (bytes; binary units) → bytes; undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?$/.exec(text.trim());
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.round(Number(m[1]) * mult);
  return n > 0 ? n : undefined;
}

/** The CPUs a cpuset list names ("0-1,3" → [0, 1, 3]); undefined when it is not a list. */
export function parseCpuList(text: string): number[] | undefined {
  const out = new Set<number>();
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return undefined;
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
