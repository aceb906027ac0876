import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAffinity } from '../../../lib/run/affinity.js';
import { K6Exit, k6Command, k6Environment, type K6Spec } from '../../../lib/run/k6-process.js';

const spec: K6Spec = { k6: '/opt/k6', script: 's.js', outFile: 'o.json', logFile: 'k6.log', env: {} };

describe('k6 started inside the generator group', () => {
  it('runs k6 itself when there is no group', () => {
    expect(k6Command(spec, ['run', 's.js'])).toEqual({ file: '/opt/k6', args: ['run', 's.js'], env: {} });
  });

  it('writes the shell’s own pid into every controller’s cgroup.procs, then becomes k6 with the same pid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-k6cmd-'));
    try {
      const procs = [join(dir, 'cpu.procs'), join(dir, 'cpuset.procs')];
      for (const f of procs) writeFileSync(f, '');
      // /bin/sh stands in for k6 so that the exec'd program prints its own pid: the one written to both files.
      const c = k6Command({ ...spec, k6: '/bin/sh', cgroupProcs: procs }, ['-c', 'echo $$']);
      expect(c.file).toBe('/bin/sh');
      expect(c.env).toEqual({ CONECTA_CGROUP_PROCS: procs.join(' ') });
      const r = spawnSync(c.file, c.args, { env: { ...process.env, ...c.env }, encoding: 'utf8' });
      expect(r.status).toBe(0);
      const pid = r.stdout.trim();
      expect(pid).toMatch(/^\d+$/);
      expect(procs.map((f) => readFileSync(f, 'utf8').trim())).toEqual([pid, pid]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 97 before k6 runs when the kernel refuses the pid', () => {
    const c = k6Command({ ...spec, k6: '/bin/echo', cgroupProcs: ['/nonexistent/cgroup.procs'] }, ['k6 ran']);
    const r = spawnSync(c.file, c.args, { env: { ...process.env, ...c.env }, encoding: 'utf8' });
    expect(r.status).toBe(K6Exit.CGROUP_REFUSED);
    expect(r.stdout).toBe('');
  });
});

describe('the ingest’s CPU affinity', () => {
  it('reads the list taskset prints', () => {
    expect(parseAffinity("pid 6534's current affinity list: 0,1\n")).toBe('0,1');
    expect(parseAffinity("pid 1's current affinity list: 0-3,6\n")).toBe('0-3,6');
    expect(parseAffinity('taskset: failed to get pid 1 affinity')).toBeUndefined();
  });
});

describe("k6's web dashboard", () => {
  it('stays off unless asked for, whatever the shell exported', () => {
    const env = k6Environment({ PATH: '/usr/bin', K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '0.0.0.0' }, { ...spec, env: { MIX: 'a' } });
    expect(env).toEqual({ PATH: '/usr/bin', K6_WEB_DASHBOARD: 'false', K6_WEB_DASHBOARD_HOST: '0.0.0.0', MIX: 'a' });
  });

  it('asked for (--k6-dashboard), listens on loopback at the port given and opens no browser', () => {
    const env = k6Environment({ K6_WEB_DASHBOARD_HOST: '0.0.0.0' }, { ...spec, webDashboardPort: 41234 });
    expect(env).toEqual({ K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '127.0.0.1', K6_WEB_DASHBOARD_PORT: '41234', K6_WEB_DASHBOARD_OPEN: 'false' });
  });
});
