// The generator's cores as the laws weigh k6's CPU: read from its group's files when the run starts (a quota
// rewritten live is seen), capped by its CPU set, else the set's size. Groups here are plain folders with the
// kernel's file names.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuQuotaIn } from '../../../../lib/sandbox/cgroup.js';
import { generatorCores } from '../../../../lib/sandbox/full/run-budget.js';

const root = mkdtempSync(join(tmpdir(), 'conecta-gen-cores-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function group(name: string, files: Record<string, string>): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  for (const [f, v] of Object.entries(files)) writeFileSync(join(d, f), `${v}\n`);
  return d;
}

describe('the generator group’s cores', () => {
  it('reads a v1 quota from the cpu controller’s folder among the group’s folders', () => {
    const cpuset = group('v1/cpuset/generator', { 'cpuset.cpus': '0' });
    const cpu = group('v1/cpu/generator', { 'cpu.cfs_quota_us': '10000', 'cpu.cfs_period_us': '100000' });
    expect(cpuQuotaIn([cpu, cpuset])).toBe(0.1);
    expect(generatorCores([cpu, cpuset], '0')).toEqual({ cores: 0.1, source: 'cgroup quota 0.1' });
  });

  it('reads v2’s cpu.max, and sees a quota rewritten since', () => {
    const d = group('v2/generator', { 'cpu.max': '25000 100000' });
    expect(generatorCores([d], '0-1')).toEqual({ cores: 0.25, source: 'cgroup quota 0.25' });
    writeFileSync(join(d, 'cpu.max'), '150000 100000\n');
    expect(generatorCores([d], '0-1')).toEqual({ cores: 1.5, source: 'cgroup quota 1.5' });
  });

  it('falls back to the CPU set without a quota, or with one larger than the set', () => {
    const none = group('v2/none', { 'cpu.max': 'max 100000' });
    expect(cpuQuotaIn([none])).toBeUndefined();
    expect(generatorCores([none], '0-1')).toEqual({ cores: 2, source: 'CPU set 0-1' });
    const v1none = group('v1/cpu/none', { 'cpu.cfs_quota_us': '-1', 'cpu.cfs_period_us': '100000' });
    expect(generatorCores([v1none], '0')).toEqual({ cores: 1, source: 'CPU set 0' });
    const big = group('v2/big', { 'cpu.max': '300000 100000' });
    expect(generatorCores([big], '0')).toEqual({ cores: 1, source: 'CPU set 0' });
    expect(generatorCores([join(root, 'gone')], '0')).toEqual({ cores: 1, source: 'CPU set 0' });
  });
});
