// The full stack's cgroups: detects whether budgets can be applied here, makes `conecta-load-<port>/<component>`
// with each component's budget as it starts (and `generator`, the CPU set reserved for the load generator), and
// removes the stack's whole subtree on `down`, from the state file's paths or, after a crash, from the port.

import type { Role } from '../../../sandbox/full/components.js';
import { createGroup, detectCgroups, removeGroups, removeStackGroups, sharedNotice, stackDirs, type CgroupHost, type Group } from '../cgroup.js';
import { budgetSummary, componentBudget, stackCounts, sharedSummary, type BudgetPlan } from './budget.js';
import type { StackBudget } from './schema.js';

/** The role of a component from its name (the names sandbox/full/components.ts starts). */
export function roleOf(name: string): Role {
  if (/exporter/.test(name)) return 'exporter';
  if (/^api-\d+$/.test(name)) return 'api';
  if (name.startsWith('postgres-')) return 'database';
  if (name === 'redis-sentinel') return 'sentinel';
  if (name.startsWith('redis-')) return 'cache';
  if (name === 'nginx') return 'balancer';
  if (name === 'object-storage') return 'storage';
  return 'monitoring';
}

export const GENERATOR_GROUP = 'generator';

const NOT_DECLARED = 'no budget declared: give --api-cpu, --db-cpu, --cache-cpu, --proxy-cpu, --generator-cpu or a -mem limit';

/** Whether any component was given a CPU quota or a memory limit. */
const declared = (plan: BudgetPlan): boolean =>
  [...Object.values(plan.cpu), ...Object.values(plan.mem), plan.generatorCpu].some((v) => v !== undefined);

/** The budget record a stack starts with: isolated when cgroups can be written here, else shared with why. */
export function openBudget(port: number, plan: BudgetPlan, instances: number, say?: (l: string) => void): StackBudget {
  const d = detectCgroups();
  if (!declared(plan)) {
    // Isolation is asked for by declaring a budget: confining an undeclared stack to its half of the machine would
    // change every figure measured on it so far without the user having asked for a budget.
    if (d.ok) removeStackGroups(d.host, port);
    return { mode: 'shared', why: NOT_DECLARED, plan, dirs: [], groups: {}, summary: sharedSummary(NOT_DECLARED) };
  }
  if (!d.ok) {
    say?.(sharedNotice(d.why));
    return { mode: 'shared', why: d.why, plan, dirs: [], groups: {}, summary: sharedSummary(d.why) };
  }
  // A killed run's groups (no state file left to name them) go first; what still holds processes stays listed.
  removeStackGroups(d.host, port);
  const dirs = Object.values(stackDirs(d.host, port));
  const budget: StackBudget = { mode: 'isolated', cgroupVersion: d.host.version, plan, dirs, groups: {}, summary: budgetSummary(plan, stackCounts(instances)) };
  try {
    const g = createGroup(d.host, port, GENERATOR_GROUP, generatorBudget(plan));
    budget.groups[GENERATOR_GROUP] = paths(g);
  } catch (e) {
    const why = `${dirs[0]}: ${(e as Error).message}`;
    removeGroups(dirs);
    say?.(sharedNotice(why));
    return { mode: 'shared', why, plan, dirs: [], groups: {}, summary: sharedSummary(why) };
  }
  return budget;
}

/** The generator group's budget: its CPU set, and its quota when one was declared. */
const generatorBudget = (plan: BudgetPlan) => ({ cpus: plan.generatorCpus, ...(plan.generatorCpu !== undefined ? { cpu: plan.generatorCpu } : {}) });

const paths = (g: Group) => [...new Set(Object.values(g.dirs))];

/** The function the stack's launcher asks for each component's group (made on first ask, with its budget). */
export function groupsFor(port: number, budget: StackBudget, host?: CgroupHost): ((name: string) => Group | undefined) | undefined {
  if (budget.mode !== 'isolated') return undefined;
  const d = host ? { ok: true as const, host } : detectCgroups();
  if (!d.ok) return undefined;
  return (name) => {
    const g = createGroup(d.host, port, name, componentBudget(budget.plan, roleOf(name)));
    budget.groups[name] = paths(g);
    return g;
  };
}

/**
 * Rewrites a running isolated stack's CPU quotas in place: each group it made (the generator's too) gets its kind's
 * quota under `plan` (the kernel applies a new cpu.max or cfs_quota_us at once; an absent quota lifts it). The sets
 * and memory limits stay as they are. Returns the budget record with the new plan and summary.
 */
export function rebudgetGroups(port: number, budget: StackBudget, plan: BudgetPlan, instances: number): StackBudget {
  if (budget.mode !== 'isolated') throw new Error('the stack runs shared: no group to rewrite');
  const d = detectCgroups();
  if (!d.ok) throw new Error(d.why);
  for (const name of Object.keys(budget.groups)) {
    const b = name === GENERATOR_GROUP ? generatorBudget(plan) : componentBudget(plan, roleOf(name));
    // Only the quota changes: a cpu of undefined is written as "no quota".
    createGroup(d.host, port, name, { cpus: b.cpus, ...(b.cpu !== undefined ? { cpu: b.cpu } : {}) });
  }
  return { ...budget, plan, summary: budgetSummary(plan, stackCounts(instances)) };
}

/** Removes every group a stack made (its recorded paths, and its port's subtree); returns what could not go. */
export function closeBudget(port: number, budget: StackBudget | undefined): string[] {
  const left = removeGroups(budget?.dirs ?? []);
  const d = detectCgroups();
  return d.ok ? [...new Set([...left, ...removeStackGroups(d.host, port)])] : left;
}
