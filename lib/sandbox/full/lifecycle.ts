// Starts, stops and inspects the full stack (nginx, API instances, PostgreSQL primary + replica, Redis primary +
// replica + sentinel, Prometheus and exporters) from the CLI side: checks packages and ports first (one line each),
// records every pid in the state file as it starts, and stops every recorded process on `down`.

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MAX_INSTANCES, missingPackages, PORT_BLOCK, portOf, stackPorts, stackRoot } from '../../../sandbox/full/layout.js';
import { PG_MAX_CONNECTIONS } from '../../../sandbox/full/postgres.js';
import { serviceUser } from '../../../sandbox/full/proc.js';
import { certificateFile } from '../../../sandbox/full/nginx.js';
import { leftovers, nginxDir, pgUrl, startStack, stopComponents, type ComponentRecord, type StackOptions } from '../../../sandbox/full/stack.js';
import type { StackSecrets } from '../../../sandbox/full/layout.js';
import { DEFAULT_PORT } from '../../../sandbox/options.js';
import { ConectaError, ExitCode } from '../../exit-codes.js';
import { alive, firstTaken, HOST, tcpOpen } from '../process.js';
import type { ComponentStatus, StackStatus } from '../stack.js';
import { readFullState, removeFullState, writeFullState } from '../state.js';
import { budgetSummary, componentBudget, planBudgets, stackCounts, type BudgetFlags } from './budget.js';
import { closeBudget, groupsFor, openBudget, rebudgetGroups, roleOf } from './groups.js';
import { FULL_STATE_SCHEMA, type FullStackState, type StackBudget } from './schema.js';

export interface FullStackOptions {
  port: number;
  instances: number;
  /** Worker processes per API instance (the document runs 8; default 1 on a small machine). */
  workers?: number;
  /** PostgreSQL pool per API instance and node (shared by its workers). */
  poolSize?: number;
  dataDir: string;
  seedScale: number;
  seed: number;
  limits: { perMinute: number; loginsPer5Min: number } | null;
  tokenTtlS: number;
  /** CPU quotas and memory limits per component kind (--api-cpu, --db-mem, …). */
  budgets?: BudgetFlags;
  say?: (line: string) => void;
}

export function resolveFullOptions(o: FullStackOptions): StackOptions {
  const int = (name: string, v: number | undefined, d: number, lo: number, hi: number) => {
    const x = v ?? d;
    if (!Number.isInteger(x) || x < lo || x > hi) throw new ConectaError(`sandbox: --${name} must be an integer from ${lo} to ${hi}, got "${v}"`, ExitCode.USAGE);
    return x;
  };
  const r: StackOptions = {
    port: int('port', o.port, DEFAULT_PORT, 1, 65536 - PORT_BLOCK), instances: int('instances', o.instances, 3, 1, MAX_INSTANCES),
    workers: int('workers', o.workers, 1, 1, 32), poolSize: int('pool-size', o.poolSize, 10, 1, 200),
    dataDir: o.dataDir, seedScale: o.seedScale, seed: o.seed, limits: o.limits, tokenTtlS: o.tokenTtlS,
  };
  checkPoolBudget(r.instances, r.poolSize);
  return r;
}

/** Each instance holds up to --pool-size connections per node: the sum must fit max_connections (less a margin). */
export function checkPoolBudget(instances: number, poolSize: number): void {
  const budget = PG_MAX_CONNECTIONS - 10;
  if (instances * poolSize > budget) {
    throw new ConectaError(`sandbox: ${instances} instances × --pool-size ${poolSize} = ${instances * poolSize} connections per PostgreSQL node, over max_connections ${PG_MAX_CONNECTIONS} less 10 for monitoring`, ExitCode.USAGE);
  }
}

/** One line naming the missing Debian packages and how to install them (exit 8). */
export function checkPackages(exists?: (f: string) => boolean): void {
  const missing = missingPackages(exists);
  if (missing.length === 0) return;
  throw new ConectaError(`sandbox --stack full: missing package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, ExitCode.SANDBOX,
    `install with: sudo apt-get install -y ${missing.join(' ')} (or sudo scripts/install-system-deps.sh), or use --stack embedded`);
}

/** Why the full stack cannot run here (missing packages, or root without the service user); undefined if it can. */
export function fullStackUnavailable(): string | undefined {
  const missing = missingPackages();
  if (missing.length) return `missing ${missing.join(', ')}; install with: sudo scripts/install-system-deps.sh`;
  try {
    serviceUser();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

async function checkPorts(o: StackOptions): Promise<void> {
  const taken = await firstTaken(stackPorts(o.port, o.instances));
  if (taken) {
    throw new ConectaError(`port ${taken.port} (for ${taken.name}) is in use`, ExitCode.SANDBOX,
      `the full stack uses ports ${o.port}..${o.port + PORT_BLOCK - 1}; stop what holds it or choose another --port`);
  }
}

export interface StartedFullStack {
  state: FullStackState;
  secrets: StackSecrets;
}

/**
 * Gives a running full stack new CPU quotas (per component kind, and the generator's) without a restart: what a
 * series of budgets measured on one stack needs. Checked like `sandbox up`'s flags (one line, exit 2); a stack
 * started without a budget has no groups to rewrite (exit SANDBOX). Memory limits are kept.
 */
export function setFullStackCpu(port: number, cpu: Pick<BudgetFlags, 'cpu' | 'generatorCpu'>): FullStackState {
  const st = readFullState(port);
  if (!st) throw new ConectaError(`no full stack started by conecta-load on port ${port}`, ExitCode.SANDBOX);
  if (st.budget.mode !== 'isolated') {
    throw new ConectaError(`the full stack on port ${port} runs shared (${st.budget.why ?? 'no budget'}): its quotas cannot be changed`, ExitCode.SANDBOX,
      'start it with a budget: sandbox up --stack full --api-cpu …');
  }
  const plan = planBudgets({ cpu: cpu.cpu ?? {}, mem: st.budget.plan.mem, ...(cpu.generatorCpu !== undefined ? { generatorCpu: cpu.generatorCpu } : {}) },
    st.budget.plan.cores, st.instances);
  let budget: StackBudget;
  try {
    budget = rebudgetGroups(port, st.budget, plan, st.instances);
  } catch (e) {
    throw new ConectaError(`the full stack on port ${port}: its quotas could not be rewritten: ${(e as Error).message}`, ExitCode.SANDBOX);
  }
  const next = { ...st, budget };
  writeFullState(next);
  return next;
}

export async function startFullStack(opts: FullStackOptions): Promise<StartedFullStack> {
  const o = resolveFullOptions(opts);
  // Checked before anything starts: a budget the machine or the stack's CPU set cannot hold is a usage error.
  const plan = planBudgets(opts.budgets ?? {}, availableParallelism(), o.instances);
  checkPackages();
  const prev = readFullState(o.port);
  if (prev) {
    const live = prev.components.filter((c) => alive(c.pid));
    if (live.length === prev.components.length && live.length > 0) {
      throw new ConectaError(`a full stack is already running on port ${o.port} (nginx pid ${prev.components.find((c) => c.name === 'nginx')?.pid ?? '?'})`,
        ExitCode.SANDBOX, `stop it with: conecta-load sandbox down --port ${o.port}`);
    }
    // A killed run: whatever of it still runs is stopped, then it starts afresh.
    if (live.length) opts.say?.(`stopping ${live.length} leftover process(es) of an earlier run on port ${o.port}`);
    await stopComponents(live);
    removeFullState(o.port);
  }
  // Processes of a killed run in this data dir (its state file lost or never written) hold the ports: stop them.
  const stale = leftovers(stackRoot(o.dataDir));
  if (stale.length) {
    opts.say?.(`stopping ${stale.length} leftover process(es) of a killed run in ${stackRoot(o.dataDir)}`);
    await stopComponents(stale);
  }
  await checkPorts(o);
  const budget = openBudget(o.port, plan, o.instances, opts.say);
  // The folder is known before the first process starts, so a `down` after a killed start finds every process its
  // pids file lists, not only those the state file had recorded when the start died.
  const state: FullStackState = {
    schema: FULL_STATE_SCHEMA, stack: 'full', port: o.port, root: stackRoot(o.dataDir), startedAt: new Date().toISOString(),
    instances: o.instances, options: o, budget, components: [],
  };
  writeFullState(state);
  const started = await startStack(o, {
    component: (c) => {
      state.components.push(c);
      writeFullState(state);
    },
    say: (l) => opts.say?.(l),
  }, groupsFor(o.port, budget)).catch((e: Error) => {
    closeBudget(o.port, budget);
    removeFullState(o.port);
    throw new ConectaError(`full stack did not start on port ${o.port}: ${e.message}`, ExitCode.SANDBOX);
  });
  state.root = started.root;
  writeFullState(state);
  return { state, secrets: started.secrets };
}

/**
 * Stops every process the state file lists (and leftovers in its folder), then removes the stack's cgroups (also a
 * killed start's, found by the port); false if no stack was recorded. A group still holding a process is named.
 */
export async function stopFullStack(port: number, say?: (line: string) => void): Promise<boolean> {
  const st = readFullState(port);
  if (st) {
    await stopComponents(st.components);
    if (st.root) await stopComponents(leftovers(st.root));
  }
  const left = closeBudget(port, st?.budget);
  if (left.length) say?.(`cgroups: could not remove ${left.join(', ')} (a process still runs in it)`);
  if (!st) return false;
  removeFullState(port);
  return true;
}

/** The full stack's status: the components, and where to reach its entry, Prometheus and data stores. */
export interface FullStatus extends StackStatus {
  /** The same as `url` (the name `sandbox status --json` has always printed). */
  entry: string;
  https: string;
  /** The HTTPS listener's certificate (self-signed, so its own CA): what `run --ca-cert` takes to trust it. */
  httpsCaCert: string;
  /** The budgets the stack runs on ("isolated" with its CPU sets, or "shared" with why) and its one-line summary. */
  budget: Pick<StackBudget, 'mode' | 'why' | 'summary' | 'cgroupVersion' | 'dirs'> & { isolation: StackBudget['mode']; stackCpus: string; generatorCpus: string };
  components: Array<ComponentStatus & { budget: { cpu?: number; cpus: string; memBytes?: number } | null; cgroup?: string[] }>;
  prometheus: string;
  credentials: { postgres: string; postgresReplica: string; redis: string; redisSentinel: string };
}

export function readSecrets(root: string): StackSecrets | undefined {
  const f = join(root, 'secrets.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as StackSecrets) : undefined;
}

async function healthyOf(c: ComponentRecord): Promise<boolean> {
  // An API instance is healthy when it says so; anything else when its port takes connections.
  if (!alive(c.pid)) return false;
  if (c.role === 'api') {
    try {
      return (await fetch(`http://${HOST}:${c.port}/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
    } catch {
      return false;
    }
  }
  return tcpOpen(c.port, 1000);
}

/** `sandbox status --json` for a full stack, or undefined when none was started on `port`. */
export async function fullStackStatus(port: number): Promise<FullStatus | undefined> {
  const st = readFullState(port);
  if (!st) return undefined;
  const b = st.budget;
  const components = await Promise.all(st.components.map(async (c) => ({
    ...c, healthy: await healthyOf(c),
    budget: b.mode === 'isolated' ? componentBudget(b.plan, roleOf(c.name)) : null,
    ...(b.groups[c.name] ? { cgroup: b.groups[c.name] } : {}),
  })));
  const s = readSecrets(st.root);
  const rpw = s ? encodeURIComponent(s.redisPassword) : '';
  return {
    stack: 'full',
    running: components.some((c) => c.healthy),
    url: `http://${HOST}:${port}`,
    entry: `http://${HOST}:${port}`,
    https: `https://${HOST}:${portOf(port, 'nginx-https')}`,
    httpsCaCert: certificateFile(nginxDir(st.root)),
    prometheus: `http://${HOST}:${portOf(port, 'prometheus')}`,
    budget: {
      mode: b.mode, isolation: b.mode, ...(b.why ? { why: b.why } : {}), ...(b.cgroupVersion ? { cgroupVersion: b.cgroupVersion } : {}),
      summary: b.mode === 'isolated' ? budgetSummary(b.plan, stackCounts(st.instances)) : b.summary, stackCpus: b.plan.stackCpus, generatorCpus: b.plan.generatorCpus, dirs: b.dirs,
    },
    components,
    credentials: {
      postgres: s ? pgUrl(s, portOf(port, 'postgres-primary')) : '',
      postgresReplica: s ? pgUrl(s, portOf(port, 'postgres-replica')) : '',
      redis: `redis://:${rpw}@${HOST}:${portOf(port, 'redis-primary')}`,
      redisSentinel: `redis://:${rpw}@${HOST}:${portOf(port, 'redis-sentinel')}`,
    },
  };
}
