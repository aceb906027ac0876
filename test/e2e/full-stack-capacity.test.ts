// End to end: a small capacity ladder (real k6) against the real full stack, collected by default from the
// stack's own Prometheus (PostgreSQL connections via postgres_exporter, pg_stat_statements busy time, Redis,
// nginx) and procfs per process: capacity.json's DB connections come from PostgreSQL and follow the load, and
// its RAM is summed over the nginx, API, PostgreSQL and Redis processes.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapacity } from '../../lib/capacity/index.js';
import { readCapacity } from '../../lib/capacity/store.js';
import type { Level } from '../../lib/capacity/schema.js';
import { memoryIo } from '../../lib/io.js';
import type { RunningFullStack } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/full/index.js';
import { running, startFull } from './full-stack-helpers.js';

let sb: RunningFullStack;
let cleanup = async () => {};
let pids: number[] = [];

beforeAll(async () => {
  ({ sb, cleanup } = await startFull({ instances: 2, noLimits: true, poolSize: 20 }));
  pids = readFullState(sb.port)!.components.map((c) => c.pid);
});
afterAll(async () => {
  await cleanup();
});

const res = (l: Level, resource: string, instance = 'all') => l.resources.find((r) => r.resource === resource && r.instance === instance);
const mean = (l: Level, resource: string, instance = 'all') => {
  const r = res(l, resource, instance);
  return r?.status === 'ok' ? r.mean : NaN;
};

describe('capacity run on the full stack (real k6, its Prometheus)', () => {
  it('measures DB connections from PostgreSQL that grow with load and RAM over every process of the stack', async () => {
    const out = mkdtempSync(join(tmpdir(), 'conecta-full-capacity-'));
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runCapacity({
      target: sb.url, levels: [500, 2000], scale: 0.02, steadyS: 15, coolDownS: 1, outDir: out,
      env: { THINK_MIN_S: '0.05', THINK_MAX_S: '0.2' }, progress: false,
    }, io);
    expect(readCapacity(out)).toEqual(result);
    expect(result.meta.collectors[0]).toBe(`prometheus:${sb.prometheusUrl}`);
    expect(result.meta.collectors[1]).toMatch(/^process:\d+(,\d+)+$/);
    expect(result.meta.currentInstances).toBe(2);
    const [low, high] = result.levels as [Level, Level];
    expect([low.vus, high.vus]).toEqual([10, 40]);
    for (const l of result.levels) {
      expect(l.errorRate).toBe(0);
      const db = res(l, 'db_connections');
      expect(db).toMatchObject({ status: 'ok', collector: `prometheus:${sb.prometheusUrl}`, unit: 'connections' });
      // Both nodes have client backends: writes on the primary, reads on the replica.
      expect(mean(l, 'db_connections', 'primary')).toBeGreaterThan(0);
      expect(mean(l, 'db_connections', 'replica')).toBeGreaterThan(0);
      expect(res(l, 'db_connections_by_state', 'replica/active')?.status).toBe('ok');
      expect(l.dbTime?.queryRatePerS).toBeGreaterThan(0);
      expect(mean(l, 'redis_memory', 'primary')).toBeGreaterThan(100_000);
      expect(mean(l, 'nginx_request_rate')).toBeGreaterThan(0);
      // RAM per component, summed: every kind of process of the stack is in the sum.
      const parts = l.resources.filter((r) => r.resource === 'memory' && r.instance !== 'all' && r.status === 'ok');
      const names = parts.map((r) => r.instance);
      for (const n of ['nginx', 'api-1', 'api-2', 'postgres-primary', 'postgres-replica', 'redis-primary', 'redis-replica', 'redis-sentinel']) expect(names).toContain(n);
      const sum = parts.reduce((s, r) => s + (r.status === 'ok' ? r.mean : 0), 0);
      expect(mean(l, 'memory')).toBeGreaterThan(0);
      expect(Math.abs(mean(l, 'memory') - sum) / sum).toBeLessThan(0.02);
    }
    // 4× the users: more connections held open and busier ones, as PostgreSQL itself counts them.
    expect(mean(high, 'db_connections')).toBeGreaterThan(mean(low, 'db_connections'));
    expect(high.dbTime!.busyConnections).toBeGreaterThan(low.dbTime!.busyConnections);
    expect(result.dbConnections.measured?.resource).toBe(`db_connections (prometheus:${sb.prometheusUrl})`);
    console.log(`full capacity e2e: ${result.levels.map((l) => `${l.vus} VUs ${l.throughputRps.toFixed(0)} rps p95 ${l.latencyMs.p95.toFixed(0)} ms, ` +
      `db ${mean(l, 'db_connections').toFixed(1)} conns (busy ${l.dbTime?.busyConnections.toFixed(2)}), RAM ${(mean(l, 'memory') / 2 ** 20).toFixed(0)} MiB`).join(' | ')}`);
  }, 240_000);

  it('leaves no process of the stack behind after down', async () => {
    await sb.stop();
    expect(running(pids)).toEqual([]);
  });
});
