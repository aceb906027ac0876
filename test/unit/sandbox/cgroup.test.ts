import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGroup, detectCgroups, parseCpuList, parseProcCgroup, parseSize, readBack, removeGroups, removeStackGroups, sharedNotice, stackDirs,
} from '../../../lib/sandbox/cgroup.js';

const V1_SELF = `9:name=systemd:/
8:pids:/
4:memory:/process_api/2fa2cb8f
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/
`;

describe('parseProcCgroup', () => {
  it('reads v1 groups per controller and the v2 line', () => {
    expect(parseProcCgroup(V1_SELF)).toEqual({
      v1: { 'name=systemd': '/', pids: '/', memory: '/process_api/2fa2cb8f', cpuset: '/', cpuacct: '/', cpu: '/' }, v2: '/',
    });
  });
  it('splits joined controllers (cpu,cpuacct) and reads a v2-only machine', () => {
    expect(parseProcCgroup('2:cpu,cpuacct:/a/b\n')).toEqual({ v1: { cpu: '/a/b', cpuacct: '/a/b' } });
    expect(parseProcCgroup('0::/user.slice/session-3.scope\n')).toEqual({ v1: {}, v2: '/user.slice/session-3.scope' });
  });
});

describe('sizes and CPU lists', () => {
  it('parses sizes in binary units', () => {
    expect(parseSize('512M')).toBe(536_870_912);
    expect(parseSize('1G')).toBe(1_073_741_824);
    expect(parseSize('64k')).toBe(65_536);
    expect(parseSize('1.5G')).toBe(1_610_612_736);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('0M')).toBeUndefined();
    expect(parseSize('lots')).toBeUndefined();
  });
  it('expands CPU lists', () => {
    expect(parseCpuList('0-1,3')).toEqual([0, 1, 3]);
    expect(parseCpuList('1')).toEqual([1]);
    expect(parseCpuList('3-1')).toBeUndefined();
    expect(parseCpuList('a')).toBeUndefined();
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});
function fakeRoot(): string {
  const d = mkdtempSync(join(tmpdir(), 'cg-'));
  dirs.push(d);
  return d;
}
/** A v1 layout: cpu, cpuset, memory mounts, with the memory group at /process_api/x. */
function fakeV1(): string {
  const root = fakeRoot();
  for (const c of ['cpu', 'cpuset', 'memory']) {
    mkdirSync(join(root, c), { recursive: true });
    writeFileSync(join(root, c, 'cgroup.procs'), '');
  }
  writeFileSync(join(root, 'cpuset', 'cpuset.cpus'), '0-1');
  writeFileSync(join(root, 'cpuset', 'cpuset.mems'), '0');
  mkdirSync(join(root, 'memory', 'process_api', 'x'), { recursive: true });
  return root;
}

describe('detectCgroups', () => {
  it('finds v1 and places our groups per controller, beneath the one we run in', () => {
    const root = fakeV1();
    const d = detectCgroups({ root, procSelf: V1_SELF.replace('2fa2cb8f', 'x') });
    expect(d).toEqual({ ok: true, host: { version: 1, root, self: { cpu: join(root, 'cpu'), cpuset: join(root, 'cpuset'), memory: join(root, 'memory/process_api/x') } } });
    if (!d.ok) return;
    expect(stackDirs(d.host, 8080)).toEqual({
      cpu: join(root, 'cpu/conecta-load-8080'), cpuset: join(root, 'cpuset/conecta-load-8080'), memory: join(root, 'memory/process_api/x/conecta-load-8080'),
    });
  });
  it('finds v2 from cgroup.controllers, with our group from the 0:: line', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    mkdirSync(join(root, 'svc'));
    const d = detectCgroups({ root, procSelf: '0::/svc\n' });
    expect(d).toEqual({ ok: true, host: { version: 2, root, self: { cpu: join(root, 'svc'), cpuset: join(root, 'svc'), memory: join(root, 'svc') } } });
  });
  it('says why when the root is absent, lacks a controller, or our group is not visible', () => {
    expect(detectCgroups({ root: '/nonexistent/cg', procSelf: V1_SELF })).toEqual({ ok: false, why: '/nonexistent/cg is absent' });
    const v2 = fakeRoot();
    writeFileSync(join(v2, 'cgroup.controllers'), 'cpu io memory\n');
    expect(detectCgroups({ root: v2, procSelf: '0::/\n' })).toEqual({ ok: false, why: 'cgroup v2 without the cpuset controller' });
    const v1 = fakeV1();
    expect(detectCgroups({ root: v1, procSelf: V1_SELF })).toEqual({ ok: false, why: `our memory group ${join(v1, 'memory/process_api/2fa2cb8f')} is not visible` });
    expect(sharedNotice('x is not writable')).toBe('cgroups: not writable here (x is not writable); the stack runs shared');
  });
  it.runIf(process.getuid?.() !== 0)('says so when our group is read-only', () => {
    const root = fakeV1();
    chmodSync(join(root, 'cpu'), 0o555);
    expect(detectCgroups({ root, procSelf: V1_SELF.replace('2fa2cb8f', 'x') })).toEqual({ ok: false, why: `${join(root, 'cpu')} is not writable` });
  });
  it('takes the root from CONECTA_CGROUP_ROOT', () => {
    expect(detectCgroups({ env: { CONECTA_CGROUP_ROOT: '/nonexistent/env-root' }, procSelf: V1_SELF })).toEqual({ ok: false, why: '/nonexistent/env-root is absent' });
  });
});

describe('groups on a plain directory tree (v2 layout)', () => {
  it('writes the budget, reads it back, and removes the subtree leaves first', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu memory\n');
    writeFileSync(join(root, 'cgroup.subtree_control'), '');
    // On a real cgroupfs the kernel creates a group's files; here the test plays the kernel.
    const top = join(root, 'conecta-load-9000');
    mkdirSync(join(top, 'api-1'), { recursive: true });
    writeFileSync(join(top, 'cgroup.subtree_control'), '');
    const d = detectCgroups({ root, procSelf: '0::/\n' });
    if (!d.ok) throw new Error(d.why);
    const g = createGroup(d.host, 9000, 'api-1', { cpu: 0.25, cpus: '1', memBytes: 536_870_912 });
    expect(g.dirs.cpu).toBe(join(top, 'api-1'));
    expect(readFileSync(join(top, 'api-1', 'cpu.max'), 'utf8')).toBe('25000 100000');
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu +cpuset +memory');
    expect(readBack(d.host, g.dirs)).toEqual({ cpu: 0.25, cpus: '1', memBytes: 536_870_912 });
    // Plain files are not groups; the directories go, leaves first.
    rmSync(join(top, 'api-1', 'cpu.max'));
    for (const f of ['cpuset.cpus', 'memory.max']) rmSync(join(top, 'api-1', f));
    rmSync(join(top, 'cgroup.subtree_control'));
    expect(removeStackGroups(d.host, 9000)).toEqual([]);
    expect(existsSync(top)).toBe(false);
  });
  it('reports what it could not remove', () => {
    const root = fakeRoot();
    mkdirSync(join(root, 'g', 'leaf'), { recursive: true });
    writeFileSync(join(root, 'g', 'leaf', 'cgroup.procs'), '123');
    expect(removeGroups([join(root, 'g')])).toEqual([join(root, 'g', 'leaf'), join(root, 'g')]);
  });
});
