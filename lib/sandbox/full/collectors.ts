// The default collectors of `capacity run` when the target is the bundled full stack: its own Prometheus with the
// full-stack PromQL (connections by node and state, pg_stat_statements busy time, Redis, nginx), and procfs for
// CPU and RSS of every process of the stack (postgres backends, nginx and API workers included as descendants),
// named by component and summed as the stack's RAM. First in the list wins per resource (lib/capacity/estimate).

import { join } from 'node:path';
import { FULL_STACK_PROMETHEUS_QUERIES } from '../../collect/full-stack-queries.js';
import { nginxLogCollector } from '../../collect/nginx-log.js';
import { processCollector } from '../../collect/process.js';
import { prometheusCollector } from '../../collect/prometheus.js';
import type { Collector } from '../../collect/types.js';
import { fullStateAt } from './run-budget.js';
import type { FullStackState } from './schema.js';
import { kindOf, type BudgetKind } from './budget.js';

export interface BundledCollectors {
  specs: string[];
  collectors: Collector[];
  /** API instances behind nginx now. */
  instances: number;
  /** The stack's declared budgets (CPU sets, quota per component kind), as its state file holds them. */
  budget: FullStackState['budget'];
  /** Component name (as the process collector labels its series) → its budget kind (sentinel and the like: none). */
  kinds: Record<string, BudgetKind>;
}

/** The full stack started here whose entry `target` is (state file, nginx alive), with its Prometheus. */
function bundledFullStack(target: string) {
  const st = fullStateAt(target);
  const prom = st?.components.find((c) => c.name === 'prometheus');
  return st && prom?.url ? { st, promUrl: prom.url } : undefined;
}

/** The bundled full stack's Prometheus when `target` is its entry: where a run's metrics go by default. */
export function bundledPrometheusUrl(target: string): string | undefined {
  return bundledFullStack(target)?.promUrl;
}

/** Collectors for `target` if it is the entry of a full stack started here (state file, nginx alive). */
export function bundledFullStackCollectors(target: string): BundledCollectors | undefined {
  const found = bundledFullStack(target);
  if (!found) return undefined;
  const { st, promUrl } = found;
  // Exporters and Prometheus are the observer, not the observed: their memory is not the stack's.
  const measured = st.components.filter((c) => c.role !== 'exporter' && c.role !== 'monitoring');
  const names = Object.fromEntries(measured.map((c) => [c.pid, c.name]));
  const pids = measured.map((c) => c.pid);
  // nginx's access log (sandbox/full/nginx.ts writes rt= and urt=): the proxy's queue and the API's time per request.
  const accessLog = join(st.root, 'nginx', 'logs', 'access.log');
  return {
    instances: st.instances,
    specs: [`prometheus:${promUrl}`, `process:${pids.join(',')}`, `nginx-log:${accessLog}`],
    collectors: [
      prometheusCollector(promUrl, { queries: FULL_STACK_PROMETHEUS_QUERIES, stepS: 2 }),
      processCollector(pids, { names }),
      nginxLogCollector(accessLog),
    ],
    budget: st.budget,
    kinds: Object.fromEntries(measured.flatMap((c) => {
      const k = kindOf(c.role);
      return k ? [[c.name, k]] : [];
    })),
  };
}
