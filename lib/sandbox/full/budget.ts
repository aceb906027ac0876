// The full stack's resource budgets: which CPUs the stack and the load generator get (disjoint sets), each
// component's CPU quota and memory limit from the flags, the checks a budget must pass before anything starts, and
// the one-line summary ("the stack ran on 1 CPU: API 3 × 0.25, …"). Pure: the cgroups themselves are made by
// ./groups.ts through the cgroup module.

import type { Role } from '../../../sandbox/full/components.js';
import { ConectaError, ExitCode } from '../../exit-codes.js';

/** The components a budget flag names: API instances, PostgreSQL nodes, Redis nodes, nginx. */
export const BUDGET_KINDS = ['api', 'db', 'cache', 'proxy'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

const LABEL: Record<BudgetKind, string> = { api: 'API', db: 'PostgreSQL', cache: 'Redis', proxy: 'nginx' };

/** The budget flags as numbers: CPU in cores, memory in bytes; absent: bounded by the stack's CPU set only. */
export interface BudgetFlags {
  cpu?: Partial<Record<BudgetKind, number>>;
  mem?: Partial<Record<BudgetKind, number>>;
  /** CFS quota of the load generator's group (k6), in cores: a starved generator, on purpose. */
  generatorCpu?: number;
}

/** The budgets a stack starts with: the CPU sets and, per kind, the quota and limit. */
export interface BudgetPlan {
  /** CPUs on the machine (ids 0..cores-1). */
  cores: number;
  stackCpus: string;
  generatorCpus: string;
  cpu: Partial<Record<BudgetKind, number>>;
  mem: Partial<Record<BudgetKind, number>>;
  /** The generator group's CFS quota in cores; absent: its CPU set only. */
  generatorCpu?: number;
}

export const kindOf = (role: Role): BudgetKind | undefined =>
  role === 'api' ? 'api' : role === 'database' ? 'db' : role === 'cache' ? 'cache' : role === 'balancer' ? 'proxy' : undefined;

const list = (lo: number, hi: number) => (lo === hi ? `${lo}` : `${lo}-${hi}`);

/**
 * The CPU split: the generator (k6 and this toolkit's ingest) gets the lower half of the CPUs (at least one), the
 * stack the rest, so the load it is measured under is never starved by what it measures. One CPU: both share it.
 */
export function cpuSplit(cores: number): { stack: number[]; generator: number[] } {
  const all = Array.from({ length: cores }, (_, i) => i);
  if (cores < 2) return { stack: all, generator: all };
  const g = Math.max(1, Math.floor(cores / 2));
  return { generator: all.slice(0, g), stack: all.slice(g) };
}

/** Checks the flags against the machine and the instance count (one line, exit 2), and plans the budgets. */
export function planBudgets(f: BudgetFlags, cores: number, instances: number): BudgetPlan {
  const split = cpuSplit(cores);
  const stackCores = split.stack.length;
  const stackCpus = list(split.stack[0]!, split.stack.at(-1)!);
  for (const k of BUDGET_KINDS) {
    const c = f.cpu?.[k];
    if (c === undefined) continue;
    if (!(c > 0)) throw new ConectaError(`sandbox: --${k}-cpu must be above 0, got ${c}`, ExitCode.USAGE);
    if (c > cores) throw new ConectaError(`sandbox: --${k}-cpu ${c} is above this machine's ${cores} CPU${cores > 1 ? 's' : ''}`, ExitCode.USAGE);
    if (c > stackCores) throw new ConectaError(`sandbox: --${k}-cpu ${c} is above the stack's CPU set ${stackCpus} (${stackCores} CPU)`, ExitCode.USAGE);
    const m = f.mem?.[k];
    if (m !== undefined && !(m > 0)) throw new ConectaError(`sandbox: --${k}-mem must be above 0, got ${m}`, ExitCode.USAGE);
  }
  const g = f.generatorCpu;
  const genCpus = list(split.generator[0]!, split.generator.at(-1)!);
  if (g !== undefined) {
    if (!(g > 0)) throw new ConectaError(`sandbox: --generator-cpu must be above 0, got ${g}`, ExitCode.USAGE);
    if (g > cores) throw new ConectaError(`sandbox: --generator-cpu ${g} is above this machine's ${cores} CPU${cores > 1 ? 's' : ''}`, ExitCode.USAGE);
    if (g > split.generator.length) throw new ConectaError(`sandbox: --generator-cpu ${g} is above the generator's CPU set ${genCpus} (${split.generator.length} CPU)`, ExitCode.USAGE);
  }
  const api = f.cpu?.api;
  if (api !== undefined && instances * api > stackCores + 1e-9) {
    throw new ConectaError(`sandbox: ${instances} API instances × --api-cpu ${api} = ${round(instances * api)} CPU, more than the stack's CPU set ${stackCpus} holds (${stackCores} CPU)`, ExitCode.USAGE);
  }
  return { cores, stackCpus, generatorCpus: genCpus, cpu: { ...f.cpu }, mem: { ...f.mem }, ...(g !== undefined ? { generatorCpu: g } : {}) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** One component's budget: the stack's CPU set, and its kind's quota and limit. */
export function componentBudget(plan: BudgetPlan, role: Role): { cpu?: number; cpus: string; memBytes?: number } {
  const k = kindOf(role);
  return { cpus: plan.stackCpus, ...(k && plan.cpu[k] !== undefined ? { cpu: plan.cpu[k] } : {}), ...(k && plan.mem[k] !== undefined ? { memBytes: plan.mem[k] } : {}) };
}

const mib = (b: number) => (b % 1024 ** 3 === 0 ? `${b / 1024 ** 3} GiB` : `${round(b / 1024 ** 2)} MiB`);
const cpuText = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(round(x)));

/** How many of each kind the full stack runs: its API instances, PostgreSQL primary + replica, Redis + sentinel, nginx. */
export const stackCounts = (instances: number): Record<BudgetKind, number> => ({ api: instances, db: 2, cache: 2, proxy: 1 });

/** "the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, PostgreSQL 2 × 0.15, …". */
export function budgetSummary(plan: BudgetPlan, counts: Partial<Record<BudgetKind, number>>): string {
  const stackCores = cpuSplit(plan.cores).stack.length;
  const sets = plan.stackCpus === plan.generatorCpus ? `CPU ${plan.stackCpus}, shared with the generator` : `CPU ${plan.stackCpus}; the generator on CPU ${plan.generatorCpus}`;
  const part = (k: BudgetKind, v: number | undefined, fmt: (x: number) => string) => {
    if (v === undefined) return undefined;
    const n = counts[k] ?? 1;
    return n === 1 ? `${LABEL[k]} ${fmt(v)}` : `${LABEL[k]} ${n} × ${fmt(v)}`;
  };
  const cpu = BUDGET_KINDS.map((k) => part(k, plan.cpu[k], cpuText)).filter(Boolean);
  const mem = BUDGET_KINDS.map((k) => part(k, plan.mem[k], mib)).filter(Boolean);
  const quotas = cpu.length ? `: ${cpu.join(', ')}${cpu.length < BUDGET_KINDS.length ? ', the rest within the set' : ''}` : ', no per-component quota';
  const gen = plan.generatorCpu !== undefined ? `; the generator held to ${cpuText(plan.generatorCpu)} CPU` : '';
  return `the stack ran on ${cpuText(stackCores)} CPU (${sets})${quotas}${mem.length ? `; memory ${mem.join(', ')}` : ''}${gen}`;
}

/** The summary when no budget applies. */
export const sharedSummary = (why: string) => `the stack ran shared (${why})`;
