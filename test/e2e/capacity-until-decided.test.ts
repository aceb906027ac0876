// End to end: `capacity run --per-level --until-decided` with the real k6 against the real embedded sandbox. Two
// small healthy levels (25 and 50 VUs) each stop once their sequential gate has decided PASS, well before their
// 90-s plateau would end: capacity.json records each level's endedBy and decidedAtS, and the level's verdict.json
// carries the same decisions. Bad options: test/unit/cli/capacity-until-decided.test.ts. Needs `make build` and k6.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CapacityResult } from '../../lib/capacity/schema.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { runCli } from './cli-process.js';

const PORT = 18530;
const MAX_S = 90;
const out = mkdtempSync(join(tmpdir(), 'conecta-capacity-until-'));
const cli = (args: string[]) => runCli(out, args);
afterAll(() => rmSync(out, { recursive: true, force: true }));
const thresholds = join(out, 'thresholds.json');
// Targets a healthy small level clears by far, so each level decides at the sequence's first chance.
writeFileSync(thresholds, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', p99: '<500ms', errorRate: '<5%' } }));

interface Meta { complete: boolean; endedBy?: string; durationS: number }
interface Verdict { verdict: string; sequential?: { decidedAtS: number | null; fromS: number }; criteria: { group: string; metric: string; decision?: string }[] }
const read = <T>(dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;

describe('capacity run --until-decided (real k6, real sandbox)', () => {
  it('ends each level once its gate decides PASS, before its max, and records when in capacity.json', async () => {
    const sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1 });
    const ladder = join(out, 'ladder');
    try {
      const r = await cli([
        'capacity', 'run', '--target', sandbox.url, '--levels', '500,1000', '--scale', '0.05', '--per-level', '--until-decided',
        '--max-duration', `${MAX_S}s`, '--cool-down', '1s', '--out', ladder, '--thresholds', thresholds,
        '-e', 'THINK_MIN_S=0.2', '-e', 'THINK_MAX_S=0.5',
      ]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
    } finally {
      await sandbox.stop();
    }
    const capacity = read<CapacityResult>(ladder, 'capacity.json');
    expect(capacity.levels.map((l) => [l.users, l.vus])).toEqual([[500, 25], [1000, 50]]);
    for (const l of capacity.levels) {
      const level = join(ladder, l.dir);
      const run = read<{ meta: Meta }>(join(ladder, l.runDir), 'result.json').meta;
      const v = read<Verdict>(level, 'verdict.json');
      expect([l.endedBy, l.complete, l.verdict.run.verdict]).toEqual(['decided', true, 'pass']);
      expect([run.endedBy, run.complete]).toEqual(['decided', true]);
      // The level's decision is its verdict's: every overall criterion decided PASS, at the second capacity.json keeps.
      expect(v.criteria.filter((c) => c.group === 'overall').map((c) => [c.metric, c.decision])).toEqual([['p95', 'pass'], ['p99', 'pass'], ['errorRate', 'pass']]);
      expect(l.decidedAtS).toBe(v.sequential!.decidedAtS);
      // The gate starts where the steady window does (ramp + settle) and decides within the plateau's 90 s.
      const rampS = v.sequential!.fromS - 5;
      expect(l.decidedAtS!).toBeGreaterThanOrEqual(v.sequential!.fromS);
      expect(l.decidedAtS!).toBeLessThan(rampS + MAX_S);
      expect(run.durationS).toBeLessThan(rampS + MAX_S);
      console.log(`level ${l.users} (${l.vus} VUs): decided PASS at ${l.decidedAtS} s (gate from ${v.sequential!.fromS} s, max ${rampS + MAX_S} s), ` +
        `run ${run.durationS.toFixed(1)} s, window ${l.requests} requests, P95 ${l.latencyMs.p95.toFixed(1)} ms`);
    }
  });
});
