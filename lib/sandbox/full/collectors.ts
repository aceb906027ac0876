// The default collectors of `capacity run` when the target is the bundled full stack: its own Prometheus with the
// full-stack PromQL (connections by node and state, pg_stat_statements busy time, Redis, nginx), and procfs for
// CPU and RSS of every process of the stack (postgres backends, nginx and API workers included as descendants),
// named by component and summed as the stack's RAM. First in the list wins per resource (lib/capacity/estimate).

import { FULL_STACK_PROMETHEUS_QUERIES } from '../../collect/full-stack-queries.js';
import { processCollector } from '../../collect/process.js';
import { prometheusCollector } from '../../collect/prometheus.js';
import type { Collector } from '../../collect/types.js';
import { alive } from '../process.js';
import { readFullState } from '../state.js';

export interface BundledCollectors {
  specs: string[];
  collectors: Collector[];
  /** API instances behind nginx now. */
  instances: number;
}

/** The full stack started here whose entry `target` is (state file, nginx alive), with its Prometheus. */
function bundledFullStack(target: string) {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol !== 'http:') return undefined;
  const st = readFullState(Number(url.port || 80));
  const nginx = st?.components.find((c) => c.name === 'nginx');
  const prom = st?.components.find((c) => c.name === 'prometheus');
  if (!st || !nginx || !prom?.url || !alive(nginx.pid)) return undefined;
  return { st, promUrl: prom.url };
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
  return {
    instances: st.instances,
    specs: [`prometheus:${promUrl}`, `process:${pids.join(',')}`],
    collectors: [
      prometheusCollector(promUrl, { queries: FULL_STACK_PROMETHEUS_QUERIES, stepS: 2 }),
      processCollector(pids, { names }),
    ],
  };
}
