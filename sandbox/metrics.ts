// Prometheus metrics of one process (prom-client), labelled instance="api-N" (or "lb"), with the names the
// capacity collectors read; and the instrumented store that times every DB operation.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataStore } from './db/store.js';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10];
const DB_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export interface InstanceMetrics {
  registry: Registry;
  inFlight: Gauge;
  duration: Histogram<'route' | 'method' | 'status'>;
  dbDuration: Histogram<'op'>;
  dbInFlight: Gauge;
  dbConnections: Gauge;
}

export function processRegistry(instance: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ instance });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function instanceMetrics(instance: string, connections: () => number): InstanceMetrics {
  const registry = processRegistry(instance);
  return {
    registry,
    inFlight: new Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being served', registers: [registry] }),
    duration: new Histogram({
      name: 'http_request_duration_seconds', help: 'HTTP request duration by endpoint template, method and status',
      labelNames: ['route', 'method', 'status'], buckets: HTTP_BUCKETS, registers: [registry],
    }),
    dbDuration: new Histogram({
      name: 'db_query_duration_seconds', help: 'Database operation duration by operation',
      labelNames: ['op'], buckets: DB_BUCKETS, registers: [registry],
    }),
    dbInFlight: new Gauge({ name: 'db_operations_in_flight', help: 'Database operations running', registers: [registry] }),
    dbConnections: new Gauge({
      name: 'db_connections', help: 'Open database connections of this instance', registers: [registry],
      collect() {
        this.set(connections());
      },
    }),
  };
}

const RESOURCE_OPS = new Set(['list', 'get', 'insert']);

/** Wraps every async store method: times it (op = `list:unidades`, `userById`, …) and counts it in flight. */
export function instrumentStore(store: DataStore, m: InstanceMetrics): DataStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (prop === 'connections' || prop === 'close') return fn.bind(target);
      return async (...args: unknown[]) => {
        const op = RESOURCE_OPS.has(String(prop)) ? `${String(prop)}:${String(args[0])}` : String(prop);
        m.dbInFlight.inc();
        const end = m.dbDuration.startTimer({ op });
        try {
          return await fn.apply(target, args);
        } finally {
          end();
          m.dbInFlight.dec();
        }
      };
    },
  });
}

export interface LbMetrics {
  registry: Registry;
  requests: Counter<'status'>;
  duration: Histogram<'status'>;
  rateLimited: Counter<'kind'>;
  upstreamErrors: Counter<'upstream'>;
  healthy: Gauge;
  restarts: Counter<'upstream'>;
}

/** The balancer's own series (instance="lb"): named lb_* so they never mix with the API instances' http_*. */
export function lbMetrics(healthy: () => number): LbMetrics {
  const registry = processRegistry('lb');
  return {
    registry,
    requests: new Counter({ name: 'lb_requests_total', help: 'Requests answered by the balancer', labelNames: ['status'], registers: [registry] }),
    duration: new Histogram({
      name: 'lb_request_duration_seconds', help: 'Request duration seen at the balancer', labelNames: ['status'],
      buckets: HTTP_BUCKETS, registers: [registry],
    }),
    rateLimited: new Counter({ name: 'lb_rate_limited_total', help: 'Requests refused with 429', labelNames: ['kind'], registers: [registry] }),
    upstreamErrors: new Counter({ name: 'lb_upstream_errors_total', help: 'Failed proxy attempts', labelNames: ['upstream'], registers: [registry] }),
    healthy: new Gauge({
      name: 'lb_upstreams_healthy', help: 'API instances taking traffic', registers: [registry],
      collect() {
        this.set(healthy());
      },
    }),
    restarts: new Counter({ name: 'lb_upstream_restarts_total', help: 'API instances replaced after dying', labelNames: ['upstream'], registers: [registry] }),
  };
}
