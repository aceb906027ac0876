// End to end: `capacity run --per-level --until-decided` with the real k6 against the real embedded sandbox. Two
// small levels (25 and 50 VUs), each run stopped once its own sequential gate has decided: the healthy first level
// decides PASS well before its 90-s plateau would end; once its level.json is written the test adds 600 ms on every
// route, and the second level decides FAIL within seconds of its ramp (the early look), so the ladder is shown
// going on after a level its gate ended, with a gate of its own. capacity.json records each level's endedBy and
// decidedAtS, and the level's verdict.json carries the same decisions. Bad options:
// test/unit/cli/capacity-until-decided.test.ts. Needs `make build` and k6.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CapacityResult } from '../../lib/capacity/schema.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { sleep } from '../../lib/sandbox/process.js';
import { runCli } from './cli-process.js';

const PORT = 18530;
const MAX_S = 90;
const out = mkdtempSync(join(tmpdir(), 'conecta-capacity-until-'));
const cli = (args: string[]) => runCli(out, args);
afterAll(() => rmSync(out, { recursive: true, force: true }));
const thresholds = join(out, 'thresholds.json');
// Targets a healthy small level clears by far, so it decides at the sequence's first chance, and 600 ms misses.
writeFileSync(thresholds, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', p99: '<500ms', errorRate: '<5%' } }));

interface Meta { complete: boolean; endedBy?: string; durationS: number }
interface Verdict { verdict: string; sequential?: { decidedAtS: number | null; fromS: number }; criteria: { group: string; metric: string; decision?: string }[] }
const read = <T>(dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;

/** Resolves once `file` exists, polled every 100 ms for at most `ms`; fails loudly otherwise. */
async function appears(file: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} not written within ${ms / 1000} s`);
    await sleep(100);
  }
}

describe('capacity run --until-decided (real k6, real sandbox)', () => {
  it('ends each level once its gate decides (a PASS, then a FAIL), before its max, and records when in capacity.json', async () => {
    const sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1 });
    const ladder = join(out, 'ladder');
    try {
      const running = cli([
        'capacity', 'run', '--target', sandbox.url, '--levels', '500,1000', '--scale', '0.05', '--per-level', '--until-decided',
        '--max-duration', `${MAX_S}s`, '--cool-down', '1s', '--out', ladder, '--thresholds', thresholds,
        '-e', 'THINK_MIN_S=0.2', '-e', 'THINK_MAX_S=0.5',
      ]);
      // The first level is written before the cool-down and the second level's k6 start: the latency is on before
      // the second level's first request.
      await Promise.race([appears(join(ladder, 'level-500', 'level.json'), 200_000), running.then((r) => {
        throw new Error(`capacity run ended before level 500 was written: ${r.code} ${r.stderr}`);
      })]);
      const put = await fetch(`${sandbox.url}/__sandbox/faults`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: [{ route: '*', latencyMs: 600, jitterMs: 0 }] }),
      });
      expect(put.status).toBe(200);
      const r = await running;
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await sandbox.stop();
    }
    const capacity = read<CapacityResult>(ladder, 'capacity.json');
    expect(capacity.levels.map((l) => [l.users, l.vus])).toEqual([[500, 25], [1000, 50]]);
    const expected = [
      { endedBy: 'decided', verdict: 'pass', decisions: [['p95', 'pass'], ['p99', 'pass'], ['errorRate', 'pass']] },
      { endedBy: 'failed', verdict: 'fail' },
    ];
    for (const [i, l] of capacity.levels.entries()) {
      const level = join(ladder, l.dir);
      const run = read<{ meta: Meta }>(join(ladder, l.runDir), 'result.json').meta;
      const v = read<Verdict>(level, 'verdict.json');
      const want = expected[i]!;
      expect([l.endedBy, l.complete, l.verdict.run.verdict]).toEqual([want.endedBy, true, want.verdict]);
      expect([run.endedBy, run.complete]).toEqual([want.endedBy, true]);
      expect(l.decidedAtS).toBe(v.sequential!.decidedAtS);
      const overall = v.criteria.filter((c) => c.group === 'overall');
      const rampS = v.sequential!.fromS - 5;
      if (want.decisions) {
        // The level's decision is its verdict's: every overall criterion decided PASS, at the second capacity.json keeps,
        // not before the overdispersion is measured (the 60th second judged) and within the plateau's 90 s.
        expect(overall.map((c) => [c.metric, c.decision])).toEqual(want.decisions);
        expect(l.decidedAtS!).toBeGreaterThanOrEqual(v.sequential!.fromS + 59);
        expect(l.decidedAtS!).toBeLessThan(rampS + MAX_S);
      } else {
        // The early look: every request of the first 5 judged seconds beyond the P99 target, decided FAIL at once.
        expect(overall.find((c) => c.metric === 'p99')?.decision).toBe('fail');
        expect(l.decidedAtS).toBe(v.sequential!.fromS + 4);
      }
      expect(run.durationS).toBeLessThan(rampS + MAX_S);
      console.log(`level ${l.users} (${l.vus} VUs): decided ${l.verdict.run.verdict.toUpperCase()} at ${l.decidedAtS} s (gate from ${v.sequential!.fromS} s, max ${rampS + MAX_S} s), ` +
        `run ${run.durationS.toFixed(1)} s, window ${l.requests} requests, P95 ${l.latencyMs.p95.toFixed(1)} ms`);
    }
  });
});
