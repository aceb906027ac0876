// Why a level behaved as it did (pure): its latency decomposed by component and the operational laws over its
// components, from what the level already measured — k6's phases in the window's result, the collectors'
// summaries (nginx's log, pg_stat_statements, Redis commandstats, per-process CPU) and the generator's CPU.

import type { ResourceSummary } from '../../collect/schema.js';
import type { RequestStats } from '../../result/schema.js';
import { decompose, type DecomposeInput } from '../decompose.js';
import { operationalLaws, type Component, type ComponentBusy, type Laws } from '../laws.js';
import type { Decomposition } from '../schema.js';

/** What the stack declared of itself (the bundled full stack's state file); absent for a foreign target. */
export interface StackFacts {
  /** Process-collector instance name (component name) → budget kind, for the components the laws count. */
  kinds: Readonly<Record<string, Exclude<Component, 'generator'>>>;
  /** Cores each kind may use in all (quota × its processes, or its CPU set), with where that came from. */
  budgets: Readonly<Partial<Record<Exclude<Component, 'generator'>, { cores: number; source: string }>>>;
}

export interface WhyInput {
  overall: RequestStats;
  throughputRps: number;
  resources: readonly ResourceSummary[];
  k6CpuCores: number | null;
  /** Cores k6 could use, with where that came from. */
  generatorBudget: { cores: number; source: string };
  /** Cores of the machine: the budget of a component the stack did not declare one for. */
  hostCores: number;
  thinkTimeS: number;
  stack?: StackFacts;
}

export interface Why {
  decomposition: Decomposition | null;
  laws: Laws | null;
}

function allMean(rs: readonly ResourceSummary[], resource: string): number | null {
  const r = rs.find((x) => x.resource === resource && x.instance === 'all' && x.status === 'ok');
  return r && r.status === 'ok' ? r.mean : null;
}

/** Σ of a process-collector resource over the stack's components of one kind; null when none was measured. */
function kindMean(rs: readonly ResourceSummary[], resource: string, stack: StackFacts | undefined, kind: Exclude<Component, 'generator'>): number | null {
  if (!stack) return null;
  let sum: number | null = null;
  for (const r of rs) {
    if (r.status !== 'ok' || r.resource !== resource || !r.collector.startsWith('process:') || stack.kinds[r.instance] !== kind) continue;
    sum = (sum ?? 0) + r.mean;
  }
  return sum;
}

/**
 * L of the database: the mean number of a request's queries inside PostgreSQL or queued for it. Two witnesses see
 * the queries inside it — pg_stat_statements' statement seconds per second (lock and I/O waits included, but not a
 * backend's wait for the CPU its quota withholds before a statement starts) and the backends procfs finds runnable
 * (that wait and the statement's CPU, but no lock or I/O wait) — the larger is the nearer. The API's pool queue
 * (queries waiting for a connection, pg's waitingCount) is the DB's wait too, outside it. Sampled at the DB and the
 * pool, never timed by the API's clock: a starved API's own lag stays the API's.
 */
export function dbInside(rs: readonly ResourceSummary[], stack?: StackFacts): number | null {
  const statements = allMean(rs, 'db_busy');
  const runnable = kindMean(rs, 'runnable', stack, 'db');
  const pool = allMean(rs, 'db_pool_waiting');
  if (statements === null && runnable === null && pool === null) return null;
  return Math.max(statements ?? 0, runnable ?? 0) + (pool ?? 0);
}

/**
 * The API's own time from its handler histogram: Σ handler seconds per second over handled requests per second, in
 * all and per route (routes with no request in the window left out); null when the histogram was not collected.
 */
export function handlerTime(rs: readonly ResourceSummary[]): { meanMs: number; byRoute: Record<string, number> } | null {
  const busy = allMean(rs, 'api_handler_busy');
  const rate = allMean(rs, 'api_handler_rate');
  if (busy === null || rate === null || !(rate > 0)) return null;
  const byRoute: Record<string, number> = Object.create(null);
  for (const r of rs) {
    if (r.status !== 'ok' || r.resource !== 'api_handler_rate_by_route' || r.instance === 'all' || !(r.mean > 0)) continue;
    const b = rs.find((x) => x.status === 'ok' && x.resource === 'api_handler_busy_by_route' && x.instance === r.instance && x.collector === r.collector);
    if (b && b.status === 'ok') byRoute[r.instance] = (1000 * b.mean) / r.mean;
  }
  return { meanMs: (1000 * busy) / rate, byRoute: { ...byRoute } };
}

export function whyOfLevel(i: WhyInput): Why {
  const X = i.throughputRps;
  const o = i.overall;
  const input: DecomposeInput = { k6: { meanMs: o.latencyMs.mean, p95Ms: o.latencyMs.p95 } };
  const ph = o.phases;
  if (ph) {
    const gen = [ph.blocked, ph.connecting, ph.tlsHandshaking, ph.sending, ph.receiving];
    input.generator = { meanMs: gen.reduce((a, p) => a + p.meanMs, 0), p95Ms: gen.reduce((a, p) => a + p.p95Ms, 0) };
  }
  const rate = allMean(i.resources, 'nginx_logged_rate');
  const queue = allMean(i.resources, 'proxy_queue_busy');
  const upstream = allMean(i.resources, 'upstream_busy');
  if (rate !== null && rate > 0 && queue !== null) input.proxy = { meanMs: (1000 * queue) / rate };
  if (rate !== null && rate > 0 && upstream !== null) input.upstream = { meanMs: (1000 * upstream) / rate };
  // DB and cache seconds per second over requests per second: seconds of each per request (Little's law).
  const db = dbInside(i.resources, i.stack);
  const cache = allMean(i.resources, 'cache_busy');
  if (X > 0 && db !== null) input.db = { meanMs: (1000 * db) / X };
  if (X > 0 && cache !== null) input.cache = { meanMs: (1000 * cache) / X };
  const d = o.requests > 0 ? decompose(input) : null;
  const server = handlerTime(i.resources);
  const decomposition: Decomposition | null = d && {
    totalMs: d.mean.totalMs, parts: d.mean.parts, p95: { totalMs: d.p95.totalMs, parts: d.p95.parts }, explained: d.explained, note: d.note,
    ...(server ? { server } : {}),
  };

  const busy: ComponentBusy[] = [];
  if (i.k6CpuCores !== null) busy.push({ component: 'generator', busyCores: i.k6CpuCores, budgetCores: i.generatorBudget.cores, budgetSource: i.generatorBudget.source });
  if (i.stack) {
    const byKind = new Map<Exclude<Component, 'generator'>, number>();
    for (const r of i.resources) {
      if (r.status !== 'ok' || r.resource !== 'cpu' || !r.collector.startsWith('process:')) continue;
      const kind = i.stack.kinds[r.instance];
      if (kind) byKind.set(kind, (byKind.get(kind) ?? 0) + r.mean);
    }
    for (const [kind, cores] of byKind) {
      const b = i.stack.budgets[kind] ?? { cores: i.hostCores, source: `the machine's ${i.hostCores} cores` };
      busy.push({ component: kind, busyCores: cores, budgetCores: b.cores, budgetSource: b.source });
    }
  }
  // k6 alone measured says nothing of the stack: the largest demand among one would always be the generator's.
  const stackMeasured = busy.some((b) => b.component !== 'generator');
  return { decomposition, laws: stackMeasured ? operationalLaws(busy, X, i.thinkTimeS) : null };
}

/** The stack's facts from its state: each component's kind, and each kind's CPU in all (quota × processes, else its CPU set). */
export function stackFacts(
  kindsByName: Readonly<Record<string, Exclude<Component, 'generator'>>>,
  budget: { mode: 'isolated' | 'shared'; plan: { stackCpus: string; cpu: Partial<Record<string, number>> } },
): StackFacts {
  const kinds: Record<string, Exclude<Component, 'generator'>> = {};
  const count = new Map<Exclude<Component, 'generator'>, number>();
  for (const [name, k] of Object.entries(kindsByName)) {
    kinds[name] = k;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const budgets: Partial<Record<Exclude<Component, 'generator'>, { cores: number; source: string }>> = {};
  if (budget.mode === 'isolated') {
    const setCores = cpusetSize(budget.plan.stackCpus);
    for (const [k, n] of count) {
      const q = budget.plan.cpu[k];
      // Every component of the stack shares its CPU set: without a quota, a kind may use all of it.
      budgets[k] = q !== undefined
        ? { cores: Math.min(q * n, setCores), source: n === 1 ? `cgroup quota ${q}` : `cgroup quota ${n} × ${q}` }
        : { cores: setCores, source: `CPU set ${budget.plan.stackCpus}` };
    }
  }
  return { kinds, budgets };
}

/** CPUs in a cpuset list ("1", "2-3", "0,2-4"). */
export function cpusetSize(list: string): number {
  let n = 0;
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (Number.isInteger(a)) n += b !== undefined && Number.isInteger(b) ? b - a! + 1 : 1;
  }
  return n;
}
