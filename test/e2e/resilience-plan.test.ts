// Fault plans through the real CLI: a bad plan exits 2 with one line before any load is sent (no run directory,
// no request reaches the sandbox), and an exec: action whose command fails is recorded while the run completes.
// Needs a build (`npx tsc -p tsconfig.json`) and k6.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEvent } from '../../lib/resilience/describe.js';
import type { RunResult } from '../../lib/result/schema.js';
import type { RunningSandbox } from '../../lib/sandbox/index.js';
import { instances, runWithPlan, sandboxOnFreePorts, scratch } from './resilience-helpers.js';

const out = scratch('plan');
let sb: RunningSandbox;

beforeAll(async () => {
  sb = await sandboxOnFreePorts({ instances: 2, noLimits: true, seedScale: 0.1, dataDir: join(out, 'data') });
});
afterAll(async () => {
  await sb?.stop();
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/conecta-load.js', 'run', '--target', sb.url, ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function apiRequests(): Promise<number> {
  const text = await (await fetch(`${sb.url}/metrics`)).text();
  // The balancer's request counter: every request that reached the public port.
  return [...text.matchAll(/^lb_requests_total\{[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
}

describe('bad plans exit 2 before any load', () => {
  const plan = join(out, 'plan.json');
  writeFileSync(plan, JSON.stringify({ chaos: [{ at: '5s', action: 'exec' }, { at: '6s', action: 'kill:api-1', argv: ['x'] }] }));
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown action', ['--chaos', 'reboot:api-1@5s'], /chaos "reboot:api-1@5s": unknown action "reboot:api-1"/],
    ['missing time', ['--chaos', 'restart:api-1'], /missing "@<time>"/],
    ['time past the end', ['--chaos', 'restart:api-1@5s,kill:api-2@90s'], /chaos "kill:api-2@90s": 90 s is past the run's end at 16 s/],
    ['rolling restart past the end', ['--chaos', 'rolling-restart@5s', '--gap', '30s'], /its last restart \(35 s\) is past the run's end at 16 s/],
    ['action the target cannot do', ['--chaos', 'promote-replica@5s'], /the embedded sandbox at .* cannot promote-replica: it runs on SQLite/],
    ['redis failover on the embedded stack', ['--chaos', 'failover:redis@5s'], /cannot failover: it has no Redis/],
    ['an instance it does not have', ['--chaos', 'restart:api-7@5s'], /has no api-7 \(it has api-1, api-2\)/],
    ['a plan file step without its argv', ['--plan', plan], /plan\.json: chaos\.0": exec needs a command/],
    ['an exec command that is not there', ['--chaos', 'exec:/nonexistent/tool --flag@5s'], /chaos "exec:\/nonexistent\/tool --flag@5s": .*\/nonexistent\/tool/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const before = await apiRequests();
      const dir = join(out, `bad-${what.replace(/\W+/g, '-')}`);
      const r = cli(['--profile', 'smoke', '--duration', '10s', '--out', dir, ...args]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(existsSync(dir)).toBe(false);
      // Only the plan's own look at /__sandbox/instances (and our /metrics reads) reached the sandbox: no k6, no load.
      expect((await apiRequests()) - before).toBeLessThanOrEqual(3);
    });
  }
});

describe('exec: with a failing command', () => {
  it('records its exit code and output, and the run completes', async () => {
    const dir = join(out, 'exec');
    const r = cli([
      '--profile', 'load-20', '--duration', '20s', '--out', dir, '-e', 'THINK_MIN_S=0.1', '-e', 'THINK_MAX_S=0.4',
      '--chaos', 'exec:node -e process.exit(3)@6s', '--chaos', 'exec:false --flag@9s,exec:node -e console.log("ran-fine")@12s',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.meta.complete).toBe(true);
    const ev = result.resilience!.events;
    for (const e of ev) console.log(`exec: ${describeEvent(e)} — ${JSON.stringify(e.exec)}`);
    expect(ev.map((e) => [e.action, e.outcome])).toEqual([
      ['exec:node -e process.exit(3)', 'failed'],
      ['exec:false --flag', 'failed'],
      ['exec:node -e console.log("ran-fine")', 'ok'],
    ]);
    // An argument vector split on spaces, no shell.
    expect(ev[0]!.exec!.argv).toEqual(['node', '-e', 'process.exit(3)']);
    expect(ev[0]!.exec!.exitCode).toBe(3);
    expect(ev[1]!.exec!.exitCode).toBe(1);
    expect(ev[2]!.exec!.exitCode).toBe(0);
    expect(ev[2]!.exec!.stdout).toBe('ran-fine\n');
    expect(r.stdout).toContain('(the action failed: false failed: exit code 1)');
    // The load went on through every action.
    expect(result.overall.failed).toBe(0);
    expect(result.resilience!.run.availability).toBe(1);
  });
});

describe('scale:N', () => {
  it('adds an instance and removes two under load, with no failed request', async () => {
    const r = await runWithPlan(sb.url, join(out, 'scale'), ['scale:3@6s,scale:1@14s'], { steadyS: 20 });
    const ev = r.resilience!.events;
    for (const e of ev) console.log(`scale: ${describeEvent(e)} — ${e.detail}`);
    expect(ev.map((e) => [e.action, e.outcome, e.deploy])).toEqual([['scale:3', 'ok', true], ['scale:1', 'ok', true]]);
    expect(ev[0]!.detail).toMatch(/^api-3 added \(pid \d+\), ready in \d+ ms$/);
    expect(ev[1]!.detail).toMatch(/^api-3 removed \(pid \d+\) after a \d+ ms drain; api-2 removed \(pid \d+\) after a \d+ ms drain$/);
    expect((await instances(sb.url)).map((u) => u.name)).toEqual(['api-1']);
    expect(r.overall.failed).toBe(0);
    for (const e of ev) expect(e.figures!.failed).toBe(0);
  });
});
