// PromQL for a stack shaped like Conecta's deployment (nginx + stub_status exporter, postgres_exporter per
// PostgreSQL node with a pg_stat_statements custom query, redis_exporter per Redis node), as the bundled full
// stack's Prometheus labels it: every target carries `component`, database and cache targets also `node`
// (primary | replica). Point `prometheus:URL` at your own Prometheus with these queries in a --collect-config
// file (relabel your targets to `node`, or edit the `by (...)` clauses). docs/FULL-STACK.md explains each one.

import type { PrometheusQuery } from './schema.js';

/** The database the API uses; the exporters connect to `postgres`, so they never count themselves. */
export const APP_DB = 'conecta';
const W = '10s'; // 5 scrapes at the stack's 2 s interval

export const FULL_STACK_PROMETHEUS_QUERIES: readonly PrometheusQuery[] = [
  // Connections per node (primary + replica → "all"), what max_connections and the document's table count.
  { resource: 'db_connections', query: `sum by (node) (pg_stat_activity_count{datname="${APP_DB}"})`, unit: 'connections', instanceLabel: 'node' },
  // The same by state: active / idle / idle in transaction, per node ("primary/active", …).
  {
    resource: 'db_connections_by_state',
    query: `label_join(sum by (node, state) (pg_stat_activity_count{datname="${APP_DB}", state=~"active|idle|idle in transaction"}), "series", "/", "node", "state")`,
    unit: 'connections', instanceLabel: 'series',
  },
  // Little's law on real query time: Σ statement seconds per second = mean busy connections (L); calls/s = λ.
  { resource: 'db_busy', query: `sum(rate(pg_stat_statements_exec_seconds[${W}]))`, unit: 'connections' },
  { resource: 'db_query_rate', query: `sum(rate(pg_stat_statements_calls[${W}]))`, unit: 'per-second' },
  { resource: 'db_busy_by_node', query: `sum by (node) (rate(pg_stat_statements_exec_seconds[${W}]))`, unit: 'connections', instanceLabel: 'node' },
  // Queries waiting for a pool connection (pg's waitingCount), summed over instances and nodes: L of the pool's queue.
  { resource: 'db_pool_waiting', query: 'sum(db_pool_clients_waiting{job="api"})', unit: 'connections' },
  // The API's handler histogram (prom-client, by route): Σ handler seconds per second and handled requests per second.
  { resource: 'api_handler_busy', query: `sum(rate(http_request_duration_seconds_sum{job="api"}[${W}]))`, unit: 'connections' },
  { resource: 'api_handler_rate', query: `sum(rate(http_request_duration_seconds_count{job="api"}[${W}]))`, unit: 'per-second' },
  { resource: 'api_handler_busy_by_route', query: `sum by (route) (rate(http_request_duration_seconds_sum{job="api"}[${W}]))`, unit: 'connections', instanceLabel: 'route' },
  { resource: 'api_handler_rate_by_route', query: `sum by (route) (rate(http_request_duration_seconds_count{job="api"}[${W}]))`, unit: 'per-second', instanceLabel: 'route' },
  // Transactions per node: the replica's share shows the read/write split at work.
  { resource: 'db_transactions', query: `sum by (node) (rate(pg_stat_database_xact_commit{datname="${APP_DB}"}[${W}]))`, unit: 'per-second', instanceLabel: 'node' },
  // Redis's own command time (INFO commandstats usec, as the exporter reads it): Σ seconds per second, all nodes.
  { resource: 'cache_busy', query: `sum(rate(redis_commands_duration_seconds_total[${W}]))`, unit: 'connections' },
  { resource: 'redis_memory', query: 'sum by (node) (redis_memory_used_bytes)', unit: 'bytes', instanceLabel: 'node' },
  { resource: 'redis_clients', query: 'sum by (node) (redis_connected_clients)', unit: 'connections', instanceLabel: 'node' },
  // Hit rate as hits and misses per second (hit ratio = hits / (hits + misses)).
  { resource: 'redis_hits', query: `sum(rate(redis_keyspace_hits_total[${W}]))`, unit: 'per-second' },
  { resource: 'redis_misses', query: `sum(rate(redis_keyspace_misses_total[${W}]))`, unit: 'per-second' },
  { resource: 'nginx_connections', query: 'sum(nginx_connections_active)', unit: 'connections' },
  { resource: 'nginx_request_rate', query: `sum(rate(nginx_http_requests_total[${W}]))`, unit: 'per-second' },
];
