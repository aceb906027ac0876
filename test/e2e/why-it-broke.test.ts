// End to end: controlled starvation of the real full stack, recovered by the attribution. PostgreSQL on 0.03 of a
// core makes the bottleneck `db`, the API instances on 0.06 each make it `api`: the operational laws read each
// component's CPU from procfs against its declared cgroup budget, and the level's latency is decomposed from k6's
// phases, nginx's access log, pg_stat_statements and Redis.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCapacity } from '../../lib/capacity/index.js';
import type { CapacityResult } from '../../lib/capacity/schema.js';
import { memoryIo } from '../../lib/io.js';
import { readFullState } from '../../lib/sandbox/full/index.js';
import { running, startFull } from './full-stack-helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function starved(cpu: { db?: number; api?: number }): Promise<CapacityResult> {
  const s = await startFull({ instances: 2, noLimits: true, poolSize: 20, budgets: { cpu } });
  const PORT = s.sb.port;
  const pids = readFullState(PORT)!.components.map((c) => c.pid);
  cleanup = async () => {
    await s.cleanup();
    expect(running(pids)).toEqual([]);
  };
  expect(readFullState(PORT)!.budget.mode).toBe('isolated');
  const out = mkdtempSync(join(tmpdir(), 'conecta-why-'));
  try {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runCapacity({
      target: s.sb.url, levels: [500, 1500], scale: 0.02, steadyS: 15, coolDownS: 1, outDir: out,
      env: { THINK_MIN_S: '0.05', THINK_MAX_S: '0.2' }, progress: false,
    }, io);
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function report(name: string, r: CapacityResult): void {
  for (const l of r.levels) {
    const d = l.decomposition;
    console.log(`${name}: ${l.vus} VUs ${l.throughputRps.toFixed(1)} rps mean ${d?.totalMs.toFixed(1)} ms` +
      ` parts ${JSON.stringify(Object.fromEntries(Object.entries(d?.parts ?? {}).map(([k, v]) => [k, Number(v.toFixed(2))])))}` +
      ` bottleneck ${l.bottleneck?.component} U=${l.bottleneck?.utilisation.toFixed(2)} D=${l.bottleneck?.demandMs.toFixed(2)} ms bound ${l.bottleneck?.boundRps.toFixed(0)} rps` +
      ` demands ${(l.demands ?? []).map((x) => `${x.component} ${x.demandMs.toFixed(2)}`).join(', ')}`);
  }
  if (r.mva?.validation) console.log(`${name}: MVA errors ${JSON.stringify(r.mva.validation)}`);
}

describe('why it broke: controlled starvation on the full stack (real k6)', () => {
  it('PostgreSQL on 0.03 cores: the bottleneck is db', async () => {
    const r = await starved({ db: 0.03 });
    report('db-cpu 0.03', r);
    const measured = r.levels.filter((l) => l.complete && l.requests > 0);
    expect(measured.length).toBeGreaterThan(0);
    for (const l of measured) {
      expect(l.bottleneck?.component).toBe('db');
      expect(l.decomposition!.parts['db']).toBeGreaterThan(0);
      expect(l.decomposition!.parts['proxy']).toBeGreaterThanOrEqual(0);
      expect(l.decomposition!.parts['generator']).toBeGreaterThan(0);
    }
    expect(r.bottleneck?.component).toBe('db');
  }, 420_000);

  it('API instances on 0.06 cores each: the bottleneck is api', async () => {
    const r = await starved({ api: 0.06 });
    report('api-cpu 0.06', r);
    const measured = r.levels.filter((l) => l.complete && l.requests > 0);
    expect(measured.length).toBeGreaterThan(0);
    for (const l of measured) expect(l.bottleneck?.component).toBe('api');
    expect(r.bottleneck?.component).toBe('api');
  }, 420_000);
});
