// End to end: a real capacity ladder, one k6 run per level (profiles load-500/1000/2000 at scale 0.05 = 25/50/100
// VUs) against the real sandbox, its /metrics scraped for each steady window — then capacity.json with a fitted
// model, a saturation estimate, a sizing table and verdicts on the repository's asserted table; and a resumed run
// (the CLI's default strategy, a staircase, reusing the levels measured one by one).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../cli/main.js';
import { runCapacity } from '../../lib/capacity/index.js';
import { levelPaths, readCapacity } from '../../lib/capacity/store.js';
import { readRunResult } from '../../lib/result/store.js';
import type { CapacityResult } from '../../lib/capacity/schema.js';
import { memoryIo } from '../../lib/io.js';
import { startSandbox } from '../../lib/sandbox/control.js';

const PORT = 18420;
const out = mkdtempSync(join(tmpdir(), 'conecta-capacity-'));
const ladder = join(out, 'ladder');
let sandbox: { url: string; stop(): Promise<void> };
let result: CapacityResult;
const io = () => memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, noLimits: true, dataDir: join(out, 'data'), seedScale: 0.1 });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('capacity run (real k6, real sandbox)', () => {
  it('measures a 3-level ladder and writes capacity.json with model, saturation and sizing', async () => {
    const t0 = Date.now();
    ({ result } = await runCapacity({
      target: sandbox.url, levels: [500, 1000, 2000], scale: 0.05, steadyS: 15, coolDownS: 1, outDir: ladder, mode: 'per-level',
      env: { THINK_MIN_S: '0.5', THINK_MAX_S: '1.5' }, progress: false,
    }, io()));
    const took = (Date.now() - t0) / 1000;
    expect(readCapacity(ladder)).toEqual(result);

    expect(result.levels.map((l) => [l.users, l.vus])).toEqual([[500, 25], [1000, 50], [2000, 100]]);
    for (const l of result.levels) {
      expect(l.complete).toBe(true);
      // Paths relative to capacity.json: the level's own run, and its directory with the steady window's cut.
      expect([l.runDir, l.dir]).toEqual([`level-${l.users}/run`, `level-${l.users}`]);
      const { run, level } = levelPaths(ladder, l);
      expect(readRunResult(run).meta.profile).toBe(`load-${l.users}`);
      const cut = readRunResult(level);
      expect(cut.overall.requests).toBe(l.requests);
      expect(cut.overall.requests).toBeLessThan(readRunResult(run).overall.requests);
      // verdict.run is the gate over that same window, as its verdict.json says.
      expect(JSON.parse(readFileSync(join(level, 'verdict.json'), 'utf8'))).toMatchObject({ verdict: l.verdict.run.verdict });
      expect(l.requests).toBeGreaterThan(100);
      expect(l.latencyMs.p95).toBeGreaterThan(0);
      // The steady window is inside the run and at least half the asked steady time.
      expect(Date.parse(l.window.end) - Date.parse(l.window.start)).toBeGreaterThanOrEqual(7_500);
      const summary = (resource: string) => l.resources.find((r) => r.resource === resource && r.instance === 'all');
      expect(summary('memory')).toMatchObject({ status: 'ok', unit: 'bytes' });
      expect(summary('cpu')).toMatchObject({ status: 'ok', unit: 'cores' });
      expect(l.dbTime?.queryRatePerS).toBeGreaterThan(0);
    }
    // More users, more throughput: with think time the closed system scales until something saturates.
    const x = result.levels.map((l) => l.throughputRps);
    expect(x[1]!).toBeGreaterThan(x[0]!);
    expect(x[2]!).toBeGreaterThan(x[1]!);

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
    console.log(`capacity e2e: ${took.toFixed(0)} s; levels ${result.levels.map((l) => `${l.vus} VUs ${l.throughputRps.toFixed(1)} rps p95 ${l.latencyMs.p95.toFixed(0)} ms`).join(' | ')}; ` +
      `USL ${result.usl.model} σ=${result.usl.sigma.toPrecision(3)} κ=${result.usl.kappa.toPrecision(3)} λ=${result.usl.lambda.toPrecision(4)} R²=${result.usl.rSquared.toFixed(4)}; ` +
      `top level predicted from 25/50 VUs (${h.model}): ${h.predictedRps.toFixed(2)} rps vs measured ${h.measuredRps.toFixed(2)} rps (${h.errorPct.toFixed(1)}%)`);
    expect(Math.abs(h.errorPct)).toBeLessThan(25);
  }, 330_000);

  it('resumes: the same --out keeps every finished level and runs no k6', async () => {
    const mem = io();
    let code = 0;
    const t0 = Date.now();
    try {
      await buildProgram(mem, (c) => (code = c)).parseAsync([
        'node', 'conecta-load', 'capacity', 'run', '--target', sandbox.url, '--levels', '500,1000,2000', '--scale', '0.05',
        '--duration', '15s', '--cool-down', '1s', '--out', ladder, '-e', 'THINK_MIN_S=0.5', '-e', 'THINK_MAX_S=1.5',
      ]);
    } catch (e) {
      code = exitCodeOf(e, mem);
    }
    expect(code, mem.err.join('')).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(mem.err.join('').match(/already measured .*: kept/g)).toHaveLength(3);
    expect(mem.out.join('')).toMatch(/^USL \(/m);
    const again = JSON.parse(readFileSync(join(ladder, 'capacity.json'), 'utf8')) as CapacityResult;
    expect(again.levels).toEqual(result.levels);
    expect(again.usl).toEqual(result.usl);
  });
});
