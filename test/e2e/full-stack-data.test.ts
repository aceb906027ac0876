// End to end against the real full stack: PostgreSQL streaming replication (a row written through nginx and the
// API read back on the replica), Redis replication and its sentinel, every Prometheus target up, and a real k6
// smoke run of `mix` through nginx with no error whose reads show up on the replica.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../lib/io.js';
import { runLoad } from '../../lib/run/run.js';
import type { RunningFullStack } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/full/index.js';
import { readSecrets } from '../../lib/sandbox/full/lifecycle.js';
import { portOf } from '../../sandbox/full/layout.js';
import { psql } from '../../sandbox/full/postgres.js';
import { redisCli, sentinelMaster } from '../../sandbox/full/redis.js';
import { targetHealth } from '../../sandbox/full/stack.js';
import { http, login, running, startFull } from './full-stack-helpers.js';

let sb: RunningFullStack;
let cleanup = async () => {};
let pgPw = '';
let redisPw = '';
let pids: number[] = [];
const sql = (node: 'postgres-primary' | 'postgres-replica', q: string) => psql(portOf(sb.port, node), pgPw, q);

beforeAll(async () => {
  ({ sb, cleanup } = await startFull({ instances: 2, noLimits: true }));
  const st = readFullState(sb.port)!;
  pids = st.components.map((c) => c.pid);
  const s = readSecrets(st.root)!;
  pgPw = s.pgPassword;
  redisPw = s.redisPassword;
});
afterAll(async () => {
  await cleanup();
});

describe('full stack: data tier and monitoring', () => {
  it('streams the primary to the replica and reads a row written through the API back from the replica', async () => {
    expect(sql('postgres-primary', "SELECT state FROM pg_stat_replication")).toBe('streaming');
    expect(sql('postgres-replica', 'SELECT pg_is_in_recovery()')).toBe('t');
    const token = await login(sb.port, 'porteiro');
    const unidades = JSON.parse((await http(sb.port, '/api/v1/unidades?per_page=1', { token })).body) as { items: Array<{ id: number; condominio_id: number }> };
    const u = unidades.items[0]!;
    const nome = `e2e replica ${Date.now()}`;
    const created = await http(sb.port, '/api/v1/visitantes', { method: 'POST', token, body: { condominio_id: u.condominio_id, unidade_id: u.id, nome, documento: '123' } });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body) as { id: number }).id;
    let onReplica = '';
    for (let i = 0; i < 50 && onReplica !== nome; i++) {
      onReplica = sql('postgres-replica', `SELECT nome FROM visitantes WHERE id = ${Number(id)}`);
      if (onReplica !== nome) await new Promise((r) => setTimeout(r, 100));
    }
    expect(onReplica).toBe(nome);
  });

  it('has one Redis replica connected and a sentinel that names the primary', () => {
    const info = redisCli(portOf(sb.port, 'redis-primary'), redisPw, 'INFO', 'replication');
    expect(info).toMatch(/role:master/);
    expect(info).toMatch(/connected_slaves:1\b/);
    expect(sentinelMaster({ port: portOf(sb.port, 'redis-sentinel'), password: redisPw })).toEqual(['127.0.0.1', portOf(sb.port, 'redis-primary')]);
  });

  it('has Prometheus report every target up', async () => {
    const health = await targetHealth(sb.prometheusUrl);
    expect(Object.keys(health).sort()).toEqual(['api-1', 'api-2', 'nginx', 'node', 'object-storage', 'postgres-primary', 'postgres-replica', 'prometheus', 'redis-primary', 'redis-replica']);
    expect(Object.entries(health).filter(([, up]) => !up)).toEqual([]);
  });

  it('runs k6 mix through nginx with 0 errors, every persona, and the reads served by the replica', async () => {
    const replicaReads = () => Number(sql('postgres-replica', "SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'conecta'"));
    const before = replicaReads();
    const out = mkdtempSync(join(tmpdir(), 'conecta-full-smoke-'));
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runLoad({
      scenario: 'mix', profile: 'smoke', target: sb.url, steadyS: 10, outDir: join(out, 'run'),
      env: { THINK_MIN_S: '0.2', THINK_MAX_S: '0.5', MIX: '1,1,1' }, progress: false,
    }, io);
    expect(result.meta.complete).toBe(true);
    const failing = Object.entries(result.endpoints).filter(([, e]) => e.failed > 0).map(([n, e]) => `${n} ${JSON.stringify(e.statusCodes)}`);
    expect(failing).toEqual([]);
    expect(result.overall.failed).toBe(0);
    expect(result.overall.requests).toBeGreaterThan(50);
    const names = Object.keys(result.endpoints);
    expect(names).toContain('POST /api/v1/auth/login');
    expect(names).toContain('GET /api/v1/reservas'); // morador
    expect(names).toContain('POST /api/v1/visitantes'); // porteiro
    expect(names).toContain('GET /api/v1/financeiro'); // sindico
    const after = replicaReads();
    expect(after - before).toBeGreaterThan(result.overall.requests / 4);
  });

  it('fails Redis over through the sentinel and promotes the PostgreSQL replica (the control surface fault plans drive)', async () => {
    const sentinel = { port: portOf(sb.port, 'redis-sentinel'), password: redisPw };
    expect(await sb.control.failoverRedis()).toBe(portOf(sb.port, 'redis-replica'));
    expect(sentinelMaster(sentinel)[1]).toBe(portOf(sb.port, 'redis-replica'));
    await sb.control.promoteReplica();
    expect(sql('postgres-replica', 'SELECT pg_is_in_recovery()')).toBe('f');
  });

  it('leaves no process of the stack behind after down', async () => {
    await sb.stop();
    expect(running(pids)).toEqual([]);
  });
});
