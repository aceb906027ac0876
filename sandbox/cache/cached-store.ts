// A DataStore that answers the hot reads (lists and dashboard counts) from Redis for a few seconds. Entries are
// not invalidated on writes: a short TTL bounds the staleness, as a production read cache would. When Redis is
// slow or away (a failover), reads go to the database at once rather than wait.

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ResourceName } from '../db/resources.js';
import type { Dashboard, DataStore, ListQuery, Row, Scope } from '../db/store.js';

export interface CacheStats {
  hits: number;
  misses: number;
  /** Reads that found Redis failing or slow and went to the database. */
  errors: number;
}

const digest = (v: unknown) => createHash('sha1').update(JSON.stringify(v)).digest('base64url');

export function cachedStore(
  store: DataStore,
  redis: Redis,
  o: { ttlS: number; timeoutMs?: number; onResult?: (r: keyof CacheStats) => void },
): DataStore & { cacheStats: CacheStats } {
  const stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  const count = (r: keyof CacheStats) => {
    stats[r]++;
    o.onResult?.(r);
  };
  const timeoutMs = o.timeoutMs ?? 100;
  const withTimeout = <T>(p: Promise<T>): Promise<T> =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('redis timeout')), timeoutMs).unref())]);

  async function through<T>(k: string, load: () => Promise<T>): Promise<T> {
    let cached: string | null = null;
    let redisOk = true;
    try {
      cached = await withTimeout(redis.get(k));
    } catch {
      redisOk = false;
      count('errors');
    }
    if (cached !== null) {
      count('hits');
      return JSON.parse(cached) as T;
    }
    if (redisOk) count('misses');
    const v = await load();
    if (redisOk) redis.set(k, JSON.stringify(v), 'EX', o.ttlS).catch(() => count('errors'));
    return v;
  }

  return {
    cacheStats: stats,
    list: (resource: ResourceName, q: ListQuery): Promise<{ items: Row[]; total: number }> =>
      through(`cache:list:${resource}:${digest(q)}`, () => store.list(resource, q)),
    dashboard: (scope: Scope, ownUnit: boolean): Promise<Dashboard> =>
      through(`cache:dash:${digest([scope, ownUnit])}`, () => store.dashboard(scope, ownUnit)),
    get: (r, id) => store.get(r, id),
    insert: (r, v) => store.insert(r, v),
    userByEmail: (e) => store.userByEmail(e),
    userById: (id) => store.userById(id),
    managedCondominios: (id) => store.managedCondominios(id),
    sampleUsers: (role, n) => store.sampleUsers(role, n),
    ping: () => store.ping(),
    connections: () => store.connections(),
    close: () => store.close(),
  };
}
