// The PostgreSQL store against real servers: the same answers as the SQLite store for the same seed, writes on
// the primary read back from the replica, Redis sessions through a sentinel failover, and the hot-read cache.

import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../sandbox/auth/jwt.js';
import { cachedStore } from '../../sandbox/cache/cached-store.js';
import { connectRedis, sentinelOracle, type RedisOptions } from '../../sandbox/cache/redis.js';
import { RedisSessions } from '../../sandbox/cache/sessions.js';
import { PgStore } from '../../sandbox/db/postgres.js';
import { seedPostgres } from '../../sandbox/db/postgres-seed.js';
import { RESOURCES, RESOURCE_SPECS, parseFilter, type Filter, type ResourceName } from '../../sandbox/db/resources.js';
import { seedDatabase } from '../../sandbox/db/seed.js';
import { seedConfigFor } from '../../sandbox/db/seed-config.js';
import { SqliteStore } from '../../sandbox/db/sqlite.js';
import type { ListQuery, Scope } from '../../sandbox/db/store.js';
import { failoverAndWait, redisCli, sentinelMaster } from '../../sandbox/full/redis.js';
import { startStoreServices, type StoreServices } from './store-services.js';

const SEED = { seedScale: 0.1, seed: 42 };
let svc: StoreServices;
let pg: PgStore;
let lite: SqliteStore;

beforeAll(async () => {
  svc = await startStoreServices(SEED);
  const file = join(svc.dir, 'seed.db');
  seedDatabase(file, seedConfigFor(SEED.seedScale, SEED.seed));
  lite = new SqliteStore(file);
  pg = new PgStore({ primaryUrl: svc.primary.url, replicaUrl: svc.replica.url, poolSize: 4, applicationName: 'pg-store-test' });
}, 240_000);

afterAll(async () => {
  await pg?.end();
  lite?.close();
  await svc?.stop();
});

const f = (resource: ResourceName, name: string, raw: string): Filter => {
  const r = parseFilter(name, RESOURCE_SPECS[resource].filters[name]!, raw);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

/** A sample of what the routes ask: every resource under several scopes, filters and pages. */
function sampleQueries(): Array<[ResourceName, ListQuery]> {
  const scopes: Array<[Scope, boolean]> = [
    [{ condominioIds: 'all' }, false], [{ condominioIds: [1, 2] }, false], [{ condominioIds: [3] }, false],
    [{ condominioIds: [] }, false], [{ condominioIds: [2], unidadeId: 7 }, true],
  ];
  const out: Array<[ResourceName, ListQuery]> = [];
  for (const r of RESOURCES) {
    for (const [scope, own] of scopes) {
      const ownUnit = own && RESOURCE_SPECS[r].ownUnitForMorador;
      for (const page of [1, 3]) out.push([r, { scope, filters: [], page, perPage: 25, ownUnit }]);
    }
  }
  const all: Scope = { condominioIds: 'all' };
  const q = (r: ResourceName, filters: Filter[], perPage = 50): [ResourceName, ListQuery] =>
    [r, { scope: all, filters, page: 1, perPage, ownUnit: false }];
  out.push(
    q('moradores', [f('moradores', 'q', 'ana')]), q('moradores', [f('moradores', 'q', 'SILVA'), f('moradores', 'condominio_id', '2')]),
    q('moradores', [f('moradores', 'q', '100%_')]), q('unidades', [f('unidades', 'bloco', 'B')]),
    q('financeiro', [f('financeiro', 'status', 'atrasado'), f('financeiro', 'mes', '2024-11')]),
    q('acesso', [f('acesso', 'desde', '2024-12-20'), f('acesso', 'tipo', 'visitante')], 100),
    q('manutencao', [f('manutencao', 'status', 'aberta')]), q('reservas', [f('reservas', 'data', '2024-03-15')]),
    q('encomendas', [f('encomendas', 'status', 'aguardando')]),
  );
  return out;
}

describe('PostgreSQL store (primary + replica, seeded by COPY)', () => {
  it('answers the same rows as the SQLite store for the same seed', async () => {
    const queries = sampleQueries();
    let rows = 0;
    for (const [r, q] of queries) {
      const want = await lite.list(r, q);
      const got = await pg.list(r, q);
      expect(got, `${r} ${JSON.stringify({ ...q, filters: q.filters.map((x) => x.value) })}`).toEqual(want);
      rows += got.items.length;
    }
    expect(queries.length).toBeGreaterThan(100);
    expect(rows).toBeGreaterThan(1500);
    for (const [scope, own] of [[{ condominioIds: 'all' }, false], [{ condominioIds: [1, 4] }, false], [{ condominioIds: [3], unidadeId: 3 }, true]] as Array<[Scope, boolean]>) {
      expect(await pg.dashboard(scope, own)).toEqual(await lite.dashboard(scope, own));
    }
    let misses = 0;
    for (const r of RESOURCES) {
      for (const id of [1, 17, 999, 123_456]) {
        const want = await lite.get(r, id);
        if (!want) misses++;
        expect(await pg.get(r, id)).toEqual(want);
      }
    }
    expect(await pg.userByEmail('sindico1@sandbox.conecta.test')).toEqual(await lite.userByEmail('sindico1@sandbox.conecta.test'));
    expect(await pg.userById(40)).toEqual(await lite.userById(40));
    expect(await pg.managedCondominios(3)).toEqual(await lite.managedCondominios(3));
    expect(await pg.sampleUsers('morador', 7)).toEqual(await lite.sampleUsers('morador', 7));
    // The reads above went to the replica, which is a standby.
    expect((await pg.replica.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    // Each id missing on the replica was asked again on the primary (it might have been a fresh write), no other read.
    expect(misses).toBeGreaterThan(RESOURCES.length);
    expect(pg.fallbacks).toBe(misses);
  });

  it('seeding again with the same seed is a no-op; another seed is refused by key', async () => {
    expect((await seedPostgres({ url: svc.primary.url, ...SEED })).seeded).toBe(false);
  });

  it('writes on the primary; the row is read back from the replica', async () => {
    const row = await pg.insert('visitantes', { condominio_id: 2, unidade_id: 2, nome: 'Réplica Teste', documento: 'RG 42', criado_em: '2024-12-31T10:00:00.000Z' });
    expect(row).toMatchObject({ condominio_id: 2, nome: 'Réplica Teste' });
    let seen: unknown[] = [];
    for (let i = 0; i < 100 && seen.length === 0; i++) {
      seen = (await pg.replica.query('SELECT id, nome FROM visitantes WHERE id = $1', [row.id])).rows;
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toEqual([{ id: row.id, nome: 'Réplica Teste' }]);
    // The primary's sequence continues after the seeded ids.
    expect(row.id).toBe(2001);
    const stat = (await pg.primary.query("SELECT state FROM pg_stat_replication")).rows;
    expect(stat).toEqual([{ state: 'streaming' }]);
  });
});

describe('PostgreSQL store without its replica', () => {
  it('answers reads from the primary when the replica is down (counted as fallbacks)', async () => {
    const q: ListQuery = { scope: { condominioIds: [2] }, filters: [], page: 1, perPage: 10, ownUnit: false };
    const want = await lite.list('unidades', q);
    const before = pg.fallbacks;
    await svc.replica.stop();
    expect(await pg.list('unidades', q)).toEqual(want);
    expect(pg.fallbacks).toBe(before + 2); // the COUNT and the page
    const probe = (await pg.probe()) as { primary: { status: string }; replica: { status: string } };
    expect([probe.primary.status, probe.replica.status]).toEqual(['healthy', 'unhealthy']);
  });
});

describe('Redis through the sentinel', () => {
  let redis: Redis;
  let ro: RedisOptions;
  beforeAll(() => {
    ro = { sentinels: [{ host: '127.0.0.1', port: svc.sentinel.port }], master: svc.master, password: svc.redisPassword, connectionName: 'store-test' };
    redis = connectRedis(ro);
  });
  afterAll(async () => void (await redis?.quit().catch(() => undefined)));

  it('caches hot reads: repeated dashboard and list reads hit, and Redis counts the hits', async () => {
    const store = cachedStore(pg, redis, { ttlS: 30 });
    const scope: Scope = { condominioIds: [1, 2] };
    const q: ListQuery = { scope, filters: [], page: 1, perPage: 20, ownUnit: false };
    const first = await store.dashboard(scope, false);
    for (let i = 0; i < 4; i++) expect(await store.dashboard(scope, false)).toEqual(first);
    const list = await store.list('unidades', q);
    for (let i = 0; i < 4; i++) expect(await store.list('unidades', q)).toEqual(list);
    expect(store.cacheStats).toEqual({ hits: 8, misses: 2, errors: 0 });
    const [host, port] = sentinelMaster(svc.sentinel);
    expect(host).toBe('127.0.0.1');
    const hits = Number(/keyspace_hits:(\d+)/.exec(redisCli(port, svc.redisPassword, 'INFO', 'stats'))?.[1]);
    expect(hits).toBeGreaterThanOrEqual(8);
  });

  it('sessions and refresh rotation survive SENTINEL FAILOVER', async () => {
    const sessions = new RedisSessions(redis, { currentPrimary: sentinelOracle(ro) });
    const principal = { id: 40, role: 'porteiro' as const, scope: { condominioIds: [3] } };
    const sid = await sessions.open(principal, 'jti-1');
    const access: Claims = { sub: 40, role: 'porteiro', typ: 'access', iat: 0, exp: 1e10, sid };
    const refresh: Claims = { ...access, typ: 'refresh', jti: 'jti-1' };
    expect(await sessions.resolve(access)).toEqual(principal);

    const failover = await failoverAndWait(svc.sentinel, 20_000);
    expect(failover.after).toBeDefined();
    const newPrimary = failover.after!;
    // The session was acknowledged by the replica (WAIT) before login answered, so the new primary has it …
    expect(redisCli(newPrimary, svc.redisPassword, 'HGET', `sess:${sid}`, 'jti')).toBe('jti-1');
    expect(await sessions.resolve(access)).toEqual(principal);
    // … and the client follows the failover for writes: rotation is a write (Lua) on the new primary.
    expect(await sessions.rotate(refresh, 'jti-2')).toBe(true);
    expect(await sessions.rotate(refresh, 'jti-3')).toBe(false);
    expect(redisCli(newPrimary, svc.redisPassword, 'HGET', `sess:${sid}`, 'jti')).toBe('jti-2');
    expect(await sessions.resolve({ ...access, sid: 'nope' })).toBeUndefined();
    expect(await sessions.resolve({ ...access, sub: 41 })).toBeUndefined();
  }, 60_000);
});
