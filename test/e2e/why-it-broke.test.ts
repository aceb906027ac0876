// End to end: controlled starvation of the real full stack, recovered by the attribution. One stack, started once;
// its cgroup quotas are rewritten live between the cases (setFullStackCpu). PostgreSQL on 0.03 of a core makes the
// bottleneck `db`, the API instances on 0.06 each make it `api`, k6 on 0.1 of a core makes it `generator` and
// leaves the level out of the models: the operational laws read each component's CPU from procfs against its
// declared cgroup budget (k6's against its group's quota), and the level's latency is decomposed from k6's phases,
// nginx's access log, the API's own DB and handler timings, pg_stat_statements and Redis.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapacity } from '../../lib/capacity/index.js';
import type { CapacityResult } from '../../lib/capacity/schema.js';
import { memoryIo } from '../../lib/io.js';
import { readFullState, setFullStackCpu, type BudgetFlags } from '../../lib/sandbox/full/index.js';
import { running, startFull } from './full-stack-helpers.js';

let stack: Awaited<ReturnType<typeof startFull>>;
let pids: number[] = [];

beforeAll(async () => {
  // A declared budget makes the stack isolated (its groups exist), so every case below only rewrites quotas. A whole
  // CPU, not a starved one: the seed and the replica's base backup run under it (at 0.03 they took 30 s more).
  stack = await startFull({ instances: 2, noLimits: true, poolSize: 20, budgets: { cpu: { db: 1 } } });
  pids = readFullState(stack.sb.port)!.components.map((c) => c.pid);
  expect(readFullState(stack.sb.port)!.budget.mode).toBe('isolated');
}, 120_000);

afterAll(async () => {
  await stack?.cleanup();
  expect(running(pids)).toEqual([]);
});

async function starved(budget: Pick<BudgetFlags, 'cpu' | 'generatorCpu'>, levels: number[]): Promise<CapacityResult> {
  const st = setFullStackCpu(stack.sb.port, budget);
  expect(st.budget.plan.cpu).toEqual(budget.cpu ?? {});
  const out = mkdtempSync(join(tmpdir(), 'conecta-why-'));
  try {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runCapacity({
      target: stack.sb.url, levels, scale: 0.02, steadyS: 10, coolDownS: 1, outDir: out,
      env: { THINK_MIN_S: '0.05', THINK_MAX_S: '0.2' }, progress: false,
    }, io);
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function report(name: string, r: CapacityResult): void {
  const res = (l: CapacityResult['levels'][number], name: string) => {
    const x = l.resources.find((s) => s.resource === name && s.instance === 'all' && s.status === 'ok');
    return x && x.status === 'ok' ? x.mean.toFixed(3) : '-';
  };
  for (const l of r.levels) {
    const d = l.decomposition;
    console.log(`${name}: ${l.vus} VUs ${l.throughputRps.toFixed(1)} rps mean ${d?.totalMs.toFixed(1)} ms` +
      ` parts ${JSON.stringify(Object.fromEntries(Object.entries(d?.parts ?? {}).map(([k, v]) => [k, Number(v.toFixed(2))])))}` +
      ` bottleneck ${l.bottleneck?.component} U=${l.bottleneck?.utilisation.toFixed(2)} D=${l.bottleneck?.demandMs.toFixed(2)} ms bound ${l.bottleneck?.boundRps.toFixed(0)} rps` +
      ` demands ${(l.demands ?? []).map((x) => `${x.component} ${x.demandMs.toFixed(2)} (${x.budgetSource})`).join(', ')}` +
      ` witnesses ${['db_busy', 'db_pool_waiting', 'api_handler_busy', 'api_handler_rate', 'upstream_busy', 'nginx_logged_rate'].map((n) => `${n}=${res(l, n)}`).join(' ')}` +
      ` db runnable ${l.resources.filter((s) => s.resource === 'runnable' && s.instance.startsWith('postgres-') && s.status === 'ok').map((s) => `${s.instance}=${s.status === 'ok' ? s.mean.toFixed(2) : '-'}`).join(' ')}` +
      ` server ${d?.server ? `${d.server.meanMs.toFixed(1)} ms (${Object.keys(d.server.byRoute).length} routes)` : '-'}` +
      ` generator ${l.generator?.bound ? `bound: ${l.generator.reason}` : 'free'}`);
  }
  if (r.mva?.validation) console.log(`${name}: MVA errors ${JSON.stringify(r.mva.validation)}`);
}

const measuredOf = (r: CapacityResult) => {
  const m = r.levels.filter((l) => l.complete && l.requests > 0);
  expect(m.length).toBeGreaterThan(0);
  return m;
};

describe('why it broke: controlled starvation on one full stack (real k6)', () => {
  it('PostgreSQL on 0.03 cores: the bottleneck is db', async () => {
    const r = await starved({ cpu: { db: 0.03 } }, [1500]);
    report('db-cpu 0.03', r);
    for (const l of measuredOf(r)) {
      expect(l.bottleneck?.component).toBe('db');
      expect(l.decomposition!.parts['db']).toBeGreaterThan(0);
      expect(l.decomposition!.parts['proxy']).toBeGreaterThanOrEqual(0);
      expect(l.decomposition!.parts['generator']).toBeGreaterThan(0);
      // The DB's wait (runnable backends held back by the quota, the pool's queue) is booked under db.
      const parts = Object.entries(l.decomposition!.parts).filter(([k]) => k !== 'unexplained');
      expect(parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0]).toBe('db');
      expect(l.decomposition!.explained).toBe(true);
      // The API's handler histogram, read through Prometheus: the server's own time, by route.
      expect(l.decomposition!.server!.meanMs).toBeGreaterThan(0);
      expect(Object.keys(l.decomposition!.server!.byRoute).length).toBeGreaterThan(0);
    }
    expect(r.bottleneck?.component).toBe('db');
  }, 120_000);

  it('API instances on 0.06 cores each: the bottleneck is api', async () => {
    const r = await starved({ cpu: { api: 0.06 } }, [1500]);
    report('api-cpu 0.06', r);
    for (const l of measuredOf(r)) expect(l.bottleneck?.component).toBe('api');
    expect(r.bottleneck?.component).toBe('api');
  }, 120_000);

  it('k6 on 0.1 cores: the bottleneck is the generator, and the level is left out of the models', async () => {
    const r = await starved({ cpu: {}, generatorCpu: 0.1 }, [1500]);
    report('generator-cpu 0.1', r);
    for (const l of measuredOf(r)) {
      expect(l.bottleneck?.component).toBe('generator');
      const gen = l.demands!.find((d) => d.component === 'generator')!;
      expect(gen.budgetCores).toBe(0.1);
      expect(gen.budgetSource).toBe('cgroup quota 0.1');
      expect(l.generator?.bound).toBe(true);
      expect(r.caveats).toContain(`${l.vus} VUs left out of the models: generator-bound (${l.generator!.reason}).`);
    }
  }, 120_000);
});
