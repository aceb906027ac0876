import { describe, expect, it } from 'vitest';
import { runExec } from '../../../lib/chaos/exec.js';
import { parseChaosFlags } from '../../../lib/chaos/plan.js';
import { chaosRun, expandPlan } from '../../../lib/chaos/runner.js';
import type { ChaosTarget, TargetAction } from '../../../lib/chaos/target.js';
import { waitFor } from '../../wait-for.js';

function fakeTarget(log: string[]): ChaosTarget {
  return {
    kind: 'fake', description: 'a fake', instances: ['api-1', 'api-2'], cannot: () => undefined,
    async perform(a: TargetAction) {
      log.push(a.kind);
      if (a.kind === 'kill') throw new Error('control went away');
      return { ok: true, detail: `did ${a.kind}` };
    },
  };
}

describe('chaosRun', () => {
  it('takes each step at its time from k6\'s start, records failures as outcomes, and skips what was not due', async () => {
    const log: string[] = [];
    const steps = expandPlan(parseChaosFlags(['restart:api-1@0.05s,kill:api-2@0.1s', 'exec:node -e process.exit(4)@0.1s', 'scale:3@60s']), ['api-1', 'api-2']);
    const taken: number[] = [];
    const run = chaosRun(steps, fakeTarget(log), { onStep: (r) => void taken.push(r.index) });
    const t0 = Date.now();
    run.start(t0);
    // The three steps due in the first 0.1 s have been taken (the fourth is due at 60 s).
    await waitFor('the first three steps to be taken', () => taken.length === 3, { timeoutMs: 10_000, seen: () => `steps ${taken.join(', ')}` });
    const records = await run.finish();
    expect(log).toEqual(['restart', 'kill']);
    expect(records.map((r) => [r.index, r.action, r.outcome, r.detail])).toEqual([
      [1, 'restart:api-1', 'ok', 'did restart'],
      [2, 'kill:api-2', 'failed', 'control went away'],
      [3, 'exec:node -e process.exit(4)', 'failed', 'node failed: exit code 4'],
      [4, 'scale:3', 'skipped', 'the run ended before its time'],
    ]);
    expect(records[0]!.startedAtMs! - t0).toBeGreaterThanOrEqual(45);
    expect(records[1]!.startedAtMs! - t0).toBeGreaterThanOrEqual(95);
    expect(records[2]!.exec).toMatchObject({ argv: ['node', '-e', 'process.exit(4)'], exitCode: 4, signal: null });
    expect(records[3]!.startedAtMs).toBeNull();
  });
});

describe('runExec', () => {
  it('runs an argument vector without a shell and keeps its output', async () => {
    const r = await runExec(['node', '-e', 'process.stdout.write(process.argv.slice(1).join("|")); process.stderr.write("e")', '$HOME', 'a b', '*']);
    expect(r).toEqual({ ok: true, detail: 'node exited 0', exec: { argv: ['node', '-e', 'process.stdout.write(process.argv.slice(1).join("|")); process.stderr.write("e")', '$HOME', 'a b', '*'], exitCode: 0, signal: null, stdout: '$HOME|a b|*', stderr: 'e' } });
  });

  it('records a missing command and a timeout instead of throwing', async () => {
    const missing = await runExec(['/nonexistent/cmd']);
    expect([missing.ok, missing.exec!.exitCode, missing.exec!.error]).toEqual([false, null, 'ENOENT: spawn /nonexistent/cmd ENOENT']);
    const slow = await runExec(['node', '-e', 'setTimeout(() => {}, 5000)'], process.env, 200);
    expect([slow.ok, slow.exec!.signal, slow.exec!.error]).toEqual([false, 'SIGTERM', 'timed out after 0.2 s']);
  });
});
