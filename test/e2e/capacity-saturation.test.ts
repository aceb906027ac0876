// End to end: a ladder that saturates. The sandbox burns 15 ms of CPU per API request (its cpuMs fault), so two
// instances top out near 130 requests/s on this 2-core machine (less, with k6 on the same cores); levels of
// 25/50/100/150 VUs at ~1 request/s each cross that. capacity.json must then show the breach, a limit on users
// below the failing level, throughput that stops following demand, and sizing from the target crossing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapacity } from '../../lib/capacity/index.js';
import { formatCapacitySummary } from '../../lib/capacity/format.js';
import { memoryIo } from '../../lib/io.js';
import { startSandbox } from '../../lib/sandbox/control.js';

const PORT = 18440;
const out = mkdtempSync(join(tmpdir(), 'conecta-capacity-sat-'));
let sandbox: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  sandbox = await startSandbox({
    port: PORT, instances: 2, noLimits: true, dataDir: join(out, 'data'), seedScale: 0.1,
    faults: { rules: [{ route: '*', cpuMs: 15 }] },
  });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('capacity run on a stack that saturates', () => {
  it('finds the breach, bounds the users within targets and sizes from it', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runCapacity({
      target: sandbox.url, levels: [500, 1000, 2000, 3000], scale: 0.05, steadyS: 15, coolDownS: 1, outDir: join(out, 'ladder'), mode: 'staircase',
      env: { THINK_MIN_S: '0.5', THINK_MAX_S: '1.5' }, progress: false,
    }, io);
    console.log(formatCapacitySummary(result));
    const [l25, , , l150] = result.levels;
    // Demand per VU at the lightest level, and the top level falling short of it: the stack saturated.
    const perVu = l25!.throughputRps / l25!.vus;
    expect(l150!.throughputRps).toBeLessThan(0.9 * perVu * l150!.vus);
    expect(l150!.latencyMs.p95).toBeGreaterThan(l25!.latencyMs.p95 * 3);
    expect(l150!.verdict.steady.withinTargets).toBe(false);
    expect(result.saturation.firstBreachVus).not.toBeNull();
    expect(result.saturation.firstBreachVus!).toBeLessThanOrEqual(150);
    // A retrograde or flattening curve: the USL sees contention or coherency, and a finite ceiling.
    expect(result.usl.sigma + result.usl.kappa).toBeGreaterThan(0);
    expect(result.usl.maxThroughput).not.toBeNull();
    const users = result.maxUsers.users!;
    expect(users.value).toBeLessThan(result.saturation.firstBreachVus!);
    expect(users.high).toBe(result.saturation.firstBreachVus);
    expect(result.perInstance.throughputAtTargetRps!).toBeGreaterThan(0);
    for (const row of result.sizing) expect(row.instances.low).toBeLessThanOrEqual(row.instances.high);
  }, 330_000);
});
