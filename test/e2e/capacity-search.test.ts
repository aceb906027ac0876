// End to end: `capacity run --search` on a stack that saturates (the sandbox burns 30 ms of CPU per request on
// its one instance, so it tops out below 33 requests/s; 5–20 VUs at about one request a second each approach that).
// The doubling finds a broken level; the search then measures levels between the last held and the first broken,
// within its load budget, and capacity.json says the users held and the interval around them; the summary prints the
// capacity line. The same ladder shows what saturation looks like in capacity.json: the breach, a limit on users
// below the failing level, throughput that stops following demand, and sizing from the target crossing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../cli/main.js';
import { bracket } from '../../lib/capacity/breaking-point.js';
import { formatCapacitySummary } from '../../lib/capacity/format.js';
import type { CapacityResult } from '../../lib/capacity/schema.js';
import { memoryIo } from '../../lib/io.js';
import { startSandbox } from '../../lib/sandbox/control.js';

const PORT = 8400;
const out = mkdtempSync(join(tmpdir(), 'conecta-capacity-search-'));
let sandbox: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  sandbox = await startSandbox({
    port: PORT, instances: 1, noLimits: true, dataDir: join(out, 'data'), seedScale: 0.1,
    faults: { rules: [{ route: '*', cpuMs: 30 }] },
  });
});
afterAll(async () => {
  await sandbox?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('capacity run --search', () => {
  it('measures levels inside the bracket the doubling found and reports the capacity with its interval', async () => {
    const mem = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const ladder = join(out, 'ladder');
    let code = 0;
    try {
      await buildProgram(mem, (c) => (code = c)).parseAsync([
        'node', 'conecta-load', 'capacity', 'run', '--target', sandbox.url, '--levels', '100,200,400', '--scale', '0.05',
        '--duration', '15s', '--cool-down', '1s', '--out', ladder, '--search', '--search-budget', '70s',
        '-e', 'THINK_MIN_S=0.5', '-e', 'THINK_MAX_S=1.5',
      ]);
    } catch (e) {
      code = exitCodeOf(e, mem);
    }
    expect(code, mem.err.join('')).toBe(0);
    const c = JSON.parse(readFileSync(join(ladder, 'capacity.json'), 'utf8')) as CapacityResult;
    const users = c.levels.map((l) => l.users);
    console.log(mem.out.join(''));
    const broken = c.levels.filter((l) => !l.verdict.steady.withinTargets);
    expect(broken.length).toBeGreaterThan(0);
    // Past the requested levels: doublings up to the first broken level, then at least one level strictly inside.
    const b = bracket(c.levels);
    expect(b.held).not.toBeNull();
    // Levels that are neither requested nor a doubling of 400: the search's.
    const searched = users.filter((u) => (u > 400 ? !Number.isInteger(Math.log2(u / 400)) : ![100, 200, 400].includes(u)));
    expect(searched.length, users.join(',')).toBeGreaterThan(0);
    // One split at least: the bracket is no longer a doubling.
    expect(b.broken! / b.held!, users.join(',')).toBeLessThan(1.5);
    // The capacity is the bracket's held end, inside an interval that contains the bracket.
    expect(c.capacity).toBeTruthy();
    expect(c.capacity!.users).toBe(b.held);
    expect(c.capacity!.low).toBeLessThanOrEqual(b.held!);
    expect(c.capacity!.high).toBeGreaterThanOrEqual(b.broken!);
    expect(mem.out.join('')).toContain(`Capacity: holds ${b.held!.toLocaleString('en-US')} users (`);
    // Each step sends from its own 127.k.0.0/16, so no step's logins meet a login budget the step before had spent.
    const runDirs = [...new Set(c.levels.map((l) => l.runDir))];
    const sixteens = runDirs.map((d) => {
      const args = (JSON.parse(readFileSync(join(ladder, d, 'run.json'), 'utf8')) as { k6: { args: string[] } }).k6.args;
      return /^127\.(\d+)\./.exec(args[args.indexOf('--local-ips') + 1]!)![1];
    });
    expect(runDirs.length).toBeGreaterThan(1);
    expect(sixteens[runDirs.indexOf('staircase')]).toBe('0');
    expect([...sixteens].sort((x, y) => Number(x) - Number(y))).toEqual(runDirs.map((_, i) => String(i)));

    // Saturation: demand per VU at the lightest level, and the heaviest level falling short of it.
    console.log(formatCapacitySummary(c));
    const byVus = [...c.levels].sort((x, y) => x.vus - y.vus);
    const low = byVus[0]!;
    const top = byVus.at(-1)!;
    const perVu = low.throughputRps / low.vus;
    expect(top.throughputRps).toBeLessThan(0.9 * perVu * top.vus);
    expect(top.latencyMs.p95).toBeGreaterThan(low.latencyMs.p95 * 3);
    expect(top.verdict.steady.withinTargets).toBe(false);
    expect(c.saturation.firstBreachVus).not.toBeNull();
    expect(c.saturation.firstBreachVus!).toBeLessThanOrEqual(top.vus);
    // A flattening curve: the USL sees contention or coherency, and a finite ceiling.
    expect(c.usl.sigma + c.usl.kappa).toBeGreaterThan(0);
    expect(c.usl.maxThroughput).not.toBeNull();
    const maxUsers = c.maxUsers.users!;
    expect(maxUsers.value).toBeLessThan(c.saturation.firstBreachVus!);
    expect(maxUsers.high).toBe(c.saturation.firstBreachVus);
    expect(c.perInstance.throughputAtTargetRps!).toBeGreaterThan(0);
    for (const row of c.sizing) expect(row.instances.low).toBeLessThanOrEqual(row.instances.high);
  }, 200_000);
});
