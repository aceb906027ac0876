// End to end: `run --gate --until-decided` with the real k6 against the real embedded sandbox. A healthy run split
// over two runners stops as soon as its gating criteria are decided PASS, complete, with `endedBy: 'decided'`; with
// 600 ms injected on every route (twice the P95 target) a run stops on a decided FAIL within seconds of the ramp's
// end: every request is beyond the P99 target, which the early look decides without a model of dependence. Bad
// options exit 2 in one line before any load. One sandbox serves the file: the slow run first, its latency set and
// cleared through the sandbox's fault route, then the healthy one. Needs `make build` and k6 (`make install`).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../lib/sandbox/control.js';
import { runCli } from './cli-process.js';

const out = mkdtempSync(join(tmpdir(), 'conecta-until-'));
const cli = (args: string[]) => runCli(out, args);
let sandbox: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  sandbox = await startSandbox({ port: 18510, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1 });
});
afterAll(async () => {
  await sandbox?.stop();
  rmSync(out, { recursive: true, force: true });
});
const thresholds = join(out, 'thresholds.json');
// Targets a healthy small run clears by far (so it decides at the sequence's first chance), and 600 ms misses.
writeFileSync(thresholds, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', p99: '<500ms', errorRate: '<5%' } }));
// 50 users thinking 0.2–0.5 s: over 100 requests a second, a short ramp.
const LOAD = ['--profile', 'load-500', '--scale', '0.1', '-e', 'THINK_MIN_S=0.2', '-e', 'THINK_MAX_S=0.5', '--thresholds', thresholds];

interface Result { meta: { complete: boolean; endedBy?: string; incompleteReason?: string; durationS: number; labels: Record<string, string> }; overall: { requests: number } }
interface Verdict { verdict: string; sequential?: { decidedAtS: number | null; fromS: number }; criteria: { group: string; metric: string; decision?: string; decidedAtS?: number | null }[] }
const read = <T>(dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;

async function putFaults(rules: unknown[]): Promise<void> {
  const r = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
  expect(r.status).toBe(200);
}

describe('run --gate --until-decided (real k6, real sandbox)', () => {
  it('refuses bad options in one line, exit 2, before any load', async () => {
    const cases: [string[], RegExp][] = [
      [['--until-decided'], /^conecta-load: --until-decided needs --gate/],
      [['--gate', '--until-decided', '--min-duration', '2m', '--max-duration', '1m'], /^conecta-load: --max-duration \(60 s\) is below --min-duration \(120 s\)/],
    ];
    const throughput = join(out, 'throughput.json');
    writeFileSync(throughput, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { throughput: '>10' } }));
    cases.push([['--gate', '--until-decided', '--thresholds', throughput], /^conecta-load: the sequential gate cannot judge overall throughput/]);
    // A port nothing listens on: had the options passed, the preflight would fail with another code.
    const outcomes = await Promise.all(cases.map(([args]) => cli(['run', '--target', 'http://127.0.0.1:1', '--out', join(out, 'refused'), '--thresholds', thresholds, ...args])));
    for (const [i, r] of outcomes.entries()) {
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr.trim().split('\n')[0]).toMatch(cases[i]![1]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(out, 'refused'))).toBe(false);
  });

  it('stops on a decided FAIL with 600 ms on every route, 5 s after the ramp', async () => {
    await putFaults([{ route: '*', latencyMs: 600, jitterMs: 0 }]);
    try {
      const dir = join(out, 'slow');
      const r = await cli(['run', '--gate', '--until-decided', '--max-duration', '5m', '--target', sandbox.url, '--out', dir, ...LOAD]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/run stopped early: the gate decided FAIL at \d+ s/);
      expect(r.stdout).toMatch(/gate: FAIL — decided at \d+ s/);
      const result = read<Result>(dir, 'result.json');
      expect(result.meta).toMatchObject({ complete: true, endedBy: 'failed' });
      expect(result.meta.durationS).toBeLessThan(60);
      const v = read<Verdict>(dir, 'verdict.json');
      expect(v.verdict).toBe('fail');
      // The early look: over the first 5 judged seconds every request took 500 ms or more, beyond 1 %/(α/4) = 80 %.
      const p99 = v.criteria.find((c) => c.group === 'overall' && c.metric === 'p99')!;
      expect(p99.decision).toBe('fail');
      expect(v.sequential!.decidedAtS).toBe(v.sequential!.fromS + 4);
      expect(p99.decidedAtS).toBe(v.sequential!.fromS + 4);
    } finally {
      await putFaults([]);
    }
  });

  // The one healthy run is split over two runners: it makes every claim a healthy single-runner run made (the CLI's
  // lines, a complete run ended by the decision, no PASS before the 60th judged second) and that the runners' seconds
  // are judged together. A single runner stopped by a PASS is what capacity-until-decided.test.ts checks at each
  // level: the same live gate and observer (createLiveGate, untilDecidedObserver) on one runLoad.
  it('judges two runners\' seconds together and stops both once every gating criterion is decided PASS (--segments 2)', async () => {
    const dir = join(out, 'segments');
    const r = await cli(['run', '--gate', '--until-decided', '--max-duration', '5m', '--segments', '2', '--target', sandbox.url, '--out', dir, ...LOAD]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/run stopped early: the gate decided PASS at \d+ s \(the ramp ended at \d+ s\)/);
    expect(r.stdout).toMatch(/gate: PASS — decided at \d+ s \(3 gating criteria\) \(exit 0\)/);
    const merged = read<Result>(dir, 'result.json');
    expect(merged.meta).toMatchObject({ complete: true, endedBy: 'decided' });
    expect(merged.meta.incompleteReason).toBeUndefined();
    // Stopped long before the 5-minute plateau (plus the ramp) it would have run.
    expect(merged.meta.durationS).toBeLessThan(120);
    // Both runners stopped by the one decision, each complete; the gate judged their requests together.
    const runners = ['segment-1-of-2', 'segment-2-of-2'].map((s) => read<Result>(join(dir, s), 'result.json'));
    expect(runners.map((x) => [x.meta.complete, x.meta.endedBy])).toEqual([[true, 'decided'], [true, 'decided']]);
    expect(runners[0]!.overall.requests).toBeGreaterThan(0);
    expect(runners[1]!.overall.requests).toBeGreaterThan(0);
    const v = read<Verdict>(dir, 'verdict.json');
    expect(v.verdict).toBe('pass');
    const overall = v.criteria.filter((c) => c.group === 'overall').map((c) => [c.metric, c.decision]);
    expect(overall).toEqual([['p95', 'pass'], ['p99', 'pass'], ['errorRate', 'pass']]);
    // Not before the overdispersion is measured on three 20-s batches: the 60th second judged.
    expect(v.sequential!.decidedAtS).toBeGreaterThanOrEqual(v.sequential!.fromS + 59);
    console.log(`segments: decided PASS at ${v.sequential!.decidedAtS} s (gate from ${v.sequential!.fromS} s), run ${merged.meta.durationS.toFixed(1)} s, ` +
      `${runners.map((x) => x.overall.requests).join(' + ')} requests`);
  });
});
