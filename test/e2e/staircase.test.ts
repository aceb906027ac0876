// End to end: the capacity ladder as ONE k6 run (a staircase 25 → 50 → 100 VUs, scale 0.05) against the sandbox
// with its limits on; the levels are cut from the one stream (one login per VU in the whole run, 0 429s), each
// with its own result.json, resources and the generator watched; capacity.json gets a fitted model, a saturation
// estimate, a sizing table, the top level predicted from the two below and verdicts on the repository's asserted
// table; the CLI resumes it without k6. Then `capacity run --instances 1,2` restarts the bundled stack per
// instance count and says what the extra instance bought, from the measurement (one level per count: the
// staircase's several levels are the first test's). `--per-level` (one k6 run per level) is
// capacity-until-decided's.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../cli/main.js';
import { runCapacity } from '../../lib/capacity/index.js';
import type { InstanceScaling } from '../../lib/capacity/scaling.js';
import { memoryIo } from '../../lib/io.js';
import { readRunResult } from '../../lib/result/store.js';
import { levelPaths, readCapacity } from '../../lib/capacity/store.js';
import { startSandbox } from '../../lib/sandbox/control.js';

const PORT = 18480;
const SWEEP_PORT = 18490;
const out = mkdtempSync(join(tmpdir(), 'conecta-staircase-'));
let sandbox: { url: string; stop(): Promise<void> };
const io = () => memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1 });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('capacity staircase (real k6, real sandbox, limits on)', () => {
  it('steps through the levels in one run and cuts each steady window from its stream', async () => {
    const ladder = join(out, 'ladder');
    const { result } = await runCapacity({
      target: sandbox.url, levels: [500, 1000, 2000], scale: 0.05, steadyS: 12, outDir: ladder, // the default strategy
      env: { THINK_MIN_S: '0.5', THINK_MAX_S: '1.5' }, progress: false,
    }, io());
    expect(result.levels.map((l) => [l.users, l.vus, l.complete])).toEqual([[500, 25, true], [1000, 50, true], [2000, 100, true]]);
    const whole = readRunResult(join(ladder, 'staircase'));
    expect(whole.meta.profile).toBe('stairs-500-1000-2000');
    // One login per VU over the whole staircase: the levels did not log in again.
    expect(whole.endpoints['POST /api/v1/auth/login']!.requests).toBe(100);
    expect(whole.overall.rateLimited).toBe(0);
    let prevEnd = 0;
    let inWindows = 0;
    for (const l of result.levels) {
      const start = Date.parse(l.window.start), end = Date.parse(l.window.end);
      expect(start).toBeGreaterThanOrEqual(prevEnd);
      expect(end - start).toBeGreaterThanOrEqual(8_000);
      prevEnd = end;
      // The level's own result.json holds exactly its window's requests, cut from the one k6 output.
      expect([l.runDir, l.dir]).toEqual(['staircase', `level-${l.users}`]);
      const { level } = levelPaths(ladder, l);
      expect(existsSync(join(level, 'k6-output.json.gz'))).toBe(false);
      const cut = readRunResult(level);
      expect(cut.overall.requests).toBe(l.requests);
      expect(l.requests).toBeGreaterThan(100);
      expect(l.latencyMs.p95).toBeGreaterThan(0);
      // verdict.run is the gate over that same window, as its verdict.json says.
      expect(JSON.parse(readFileSync(join(level, 'verdict.json'), 'utf8'))).toMatchObject({ verdict: l.verdict.run.verdict });
      expect(l.rateLimited).toBe(0);
      inWindows += l.requests;
      expect(l.generator!.k6CpuCores).toBeGreaterThan(0);
      expect(l.generator!.k6RssBytes).toBeGreaterThan(10e6);
      expect(l.generator!.hostIdleCores).not.toBeNull();
      expect(l.generator!.droppedIterations).toBe(0);
    }
    expect(inWindows).toBeLessThan(whole.overall.requests);
    // More users, more throughput: with think time the closed system scales until something saturates.
    const x = result.levels.map((l) => l.throughputRps);
    expect(x[1]!).toBeGreaterThan(x[0]!);
    expect(x[2]!).toBeGreaterThan(x[1]!);

    // What capacity.json makes of the levels.
    expect(readCapacity(ladder)).toEqual(result);
    for (const l of result.levels) {
      const summary = (resource: string) => l.resources.find((r) => r.resource === resource && r.instance === 'all');
      expect(summary('memory')).toMatchObject({ status: 'ok', unit: 'bytes' });
      expect(summary('cpu')).toMatchObject({ status: 'ok', unit: 'cores' });
      expect(l.dbTime?.queryRatePerS).toBeGreaterThan(0);
    }
    expect(result.usl.model).not.toBe('none');
    expect(result.usl.lambda).toBeGreaterThan(0);
    expect(result.usl.rSquared).toBeGreaterThan(0.9);
    expect(result.saturation.note.length).toBeGreaterThan(0);
    expect(result.maxUsers.users!.low).toBeGreaterThanOrEqual(result.levels.find((l) => l.verdict.steady.withinTargets)?.vus ?? 0);
    expect(result.meta.currentInstances).toBe(2);
    expect(result.sizing.map((r) => r.users)).toEqual([500, 1000, 2000, 5000]);
    for (const row of result.sizing) {
      expect(row.extrapolated).toBe(true); // 500+ users is beyond 2 × 100 VUs
      expect(row.instances.low).toBeLessThanOrEqual(row.instances.value);
      expect(row.instances.value).toBeLessThanOrEqual(row.instances.high);
      expect(row.ramBytes).not.toBeNull();
      expect(row.dbConnections).not.toBeNull();
    }
    // The repository's thresholds.json asserts the deployment document's table: 3 rows × 3 cells.
    expect(result.assertions).toHaveLength(9);
    // Predictions from the two lower levels against the measured top level.
    const h = result.holdout!;
    expect(h.fittedOnVus).toEqual([25, 50]);
    console.log(`staircase e2e: levels ${result.levels.map((l) => `${l.vus} VUs ${l.throughputRps.toFixed(1)} rps p95 ${l.latencyMs.p95.toFixed(0)} ms`).join(' | ')}; ` +
      `USL ${result.usl.model} σ=${result.usl.sigma.toPrecision(3)} κ=${result.usl.kappa.toPrecision(3)} λ=${result.usl.lambda.toPrecision(4)} R²=${result.usl.rSquared.toFixed(4)}; ` +
      `top level predicted from 25/50 VUs (${h.model}): ${h.predictedRps.toFixed(2)} rps vs measured ${h.measuredRps.toFixed(2)} rps (${h.errorPct.toFixed(1)}%)`);
    expect(Math.abs(h.errorPct)).toBeLessThan(25);

    // The CLI again with the same --out: every level is kept, no k6 run, the same model.
    const mem = io();
    let code = 0;
    const t0 = Date.now();
    try {
      await buildProgram(mem, (c) => (code = c)).parseAsync([
        'node', 'conecta-load', 'capacity', 'run', '--target', sandbox.url, '--levels', '500,1000,2000', '--scale', '0.05',
        '--duration', '12s', '--out', ladder, '-e', 'THINK_MIN_S=0.5', '-e', 'THINK_MAX_S=1.5',
      ]);
    } catch (e) {
      code = exitCodeOf(e, mem);
    }
    expect(code, mem.err.join('')).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(mem.err.join('').match(/already measured .*: kept/g)).toHaveLength(3);
    expect(mem.out.join('')).toMatch(/^USL \(/m);
    const again = readCapacity(ladder);
    expect(again.levels).toEqual(result.levels);
    expect(again.usl).toEqual(result.usl);
  });

  it('capacity run --instances 1,2 measures the ladder at each count on the bundled stack it restarts', async () => {
    const dir = join(out, 'sweep');
    const mio = io();
    await buildProgram(mio, () => undefined).parseAsync(['node', 'conecta-load', 'capacity', 'run', '--target', `http://127.0.0.1:${SWEEP_PORT}`,
      '--instances', '1,2', '--levels', '1000', '--scale', '0.04', '--duration', '10s', '--out', dir,
      '-e', 'THINK_MIN_S=0.5', '-e', 'THINK_MAX_S=1.5']);
    const s = JSON.parse(readFileSync(join(dir, 'instances.json'), 'utf8')) as InstanceScaling;
    expect(s.schema).toBe('conecta-load/instance-scaling@2');
    expect(s.points.map((p) => p.instances)).toEqual([1, 2]);
    for (const p of s.points) {
      const cap = JSON.parse(readFileSync(join(p.capacityDir, 'capacity.json'), 'utf8')) as { meta: { currentInstances: number }; levels: unknown[] };
      expect(cap.meta.currentInstances).toBe(p.instances);
      expect(cap.levels).toHaveLength(1);
      expect(p.peakThroughputRps).toBeGreaterThan(0);
    }
    // The conclusion follows the measurement: a quiet machine holds 40 VUs at every count (not saturated, so the
    // sweep cannot judge instances); a busy one saturates, and then it says whether instances added anything.
    expect(s.conclusion).toMatch(s.saturated
      ? /^(more instances add nothing here|instances scale): 1: /
      : /^no instance count was saturated: every one held all 1000 users \(1: .*; 2: .*add higher levels$/);
    expect(mio.out.join('')).toContain(s.conclusion);
  });
});
