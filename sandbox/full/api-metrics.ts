// The full-stack API's extra series, beside the embedded instance's (metrics.ts): the PostgreSQL pools per node
// and the Redis read cache. Gauges sum over the workers when the cluster primary aggregates them.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { PoolStats } from '../db/postgres.js';
import type { CacheStats } from '../cache/cached-store.js';

export function fullStackMetrics(registry: Registry, pools: () => Record<string, PoolStats>): { cache: Counter<'result'> } {
  const gauge = (name: string, help: string, field: keyof PoolStats) =>
    new Gauge({
      name, help, labelNames: ['node'], registers: [registry],
      collect() {
        for (const [node, s] of Object.entries(pools())) this.set({ node }, s[field]);
      },
    });
  gauge('db_pool_connections_total', 'Connections the pool holds, by node (primary, replica)', 'total');
  gauge('db_pool_connections_idle', 'Idle connections in the pool, by node', 'idle');
  gauge('db_pool_clients_waiting', 'Queries waiting for a pool connection, by node', 'waiting');
  return {
    cache: new Counter({ name: 'cache_requests_total', help: 'Hot-read cache lookups by result', labelNames: ['result'], registers: [registry] }),
  };
}

export const CACHE_RESULT: Readonly<Record<keyof CacheStats, string>> = { hits: 'hit', misses: 'miss', errors: 'error' };
