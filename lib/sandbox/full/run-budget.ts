// What a load run against this machine's full stack needs to know of its budget: the stack's state from the target
// URL, the record every output carries (`budget` in run.json, result.json, capacity.json: isolated with its sets
// and quotas, or shared with why), and where k6 is to run (the generator group's cgroup.procs files), checked to lie
// beneath our own group so that joining it never moves a process out of its subtree.

import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunBudget } from '../../result/schema.js';
import { isLoopbackTarget } from '../../run/run-dir.js';
import { cpuQuotaIn, detectCgroups, parseCpuList, type Detected } from '../cgroup.js';
import { alive } from '../process.js';
import { readFullState } from '../state.js';
import { budgetSummary, stackCounts } from './budget.js';
import { GENERATOR_GROUP } from './groups.js';
import type { FullStackState } from './schema.js';

/** The full stack whose entry `target` is (state file here, nginx alive), or undefined. */
export function fullStateAt(target: string): FullStackState | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  if (!isLoopbackTarget(target) || url.protocol !== 'http:') return undefined;
  const st = readFullState(Number(url.port || 80));
  const nginx = st?.components.find((c) => c.name === 'nginx');
  return st && nginx && alive(nginx.pid) ? st : undefined;
}

/** Where the generator runs: the record for the outputs, and when isolated the group k6 joins and the CPUs the ingest keeps to. */
export interface GeneratorPlace {
  budget: RunBudget;
  /** The generator group's cgroup.procs files, one per controller (k6's shell writes its pid there, then execs k6). */
  procs?: string[];
  /** The generator's CPU set, for this process (the ingest) to keep to while k6 runs. */
  cpus?: string;
  /**
   * Cores k6 may use in its group, read from the kernel when the run starts: the group's quota (capped by its set),
   * else its CPU set; what the operational laws weigh the generator's CPU against.
   */
  cores?: { cores: number; source: string };
}

export const NOT_BUNDLED = 'the target is not a full stack started here with a declared budget (sandbox up --stack full --api-cpu …)';

const writable = (f: string) => {
  try {
    accessSync(f, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The budget a run against `target` measures on, undefined for a target on another machine. Isolated only when the
 * stack recorded an isolated budget and its generator group is still there, writable and beneath our own group per
 * controller (`detected` is injectable for tests; by default this process's own cgroups).
 */
export function generatorPlace(target: string, detected: Detected = detectCgroups()): GeneratorPlace | undefined {
  // A remote target does not share this machine with the generator: no budget record.
  if (!isLoopbackTarget(target)) return undefined;
  const st = fullStateAt(target);
  const shared = (why: string): GeneratorPlace => ({ budget: { isolation: 'shared', why, summary: `the stack ran shared (${why})` } });
  if (!st) return shared(NOT_BUNDLED);
  const b = st.budget;
  if (b.mode !== 'isolated') return shared(b.why ?? 'no budget declared');
  const plan = b.plan;
  const record: RunBudget = {
    isolation: 'isolated', summary: budgetSummary(plan, stackCounts(st.instances)),
    stackCpus: plan.stackCpus, generatorCpus: plan.generatorCpus, cpu: { ...plan.cpu }, mem: { ...plan.mem }, instances: st.instances,
  };
  const dirs = b.groups[GENERATOR_GROUP] ?? [];
  const procs = dirs.map((d) => join(d, 'cgroup.procs'));
  const why = generatorUnusable(dirs, procs, detected);
  if (why !== undefined) {
    // The stack keeps its budget; only k6 is not confined, which the record says rather than hides.
    return { budget: { ...record, isolation: 'shared', why: `the generator's group cannot be joined (${why})`, generator: { k6: false, ingest: false } } };
  }
  return {
    budget: { ...record, generator: { k6: true, ingest: plan.stackCpus !== plan.generatorCpus } }, procs, cpus: plan.generatorCpus,
    cores: generatorCores(dirs, plan.generatorCpus),
  };
}

/** The generator group's cores: its quota now (capped by its CPU set), else the set's size. */
export function generatorCores(dirs: readonly string[], cpus: string): { cores: number; source: string } {
  const set = parseCpuList(cpus)?.length ?? 1;
  const q = cpuQuotaIn(dirs);
  return q !== undefined && q < set ? { cores: q, source: `cgroup quota ${q}` } : { cores: set, source: `CPU set ${cpus}` };
}

/** Why k6 cannot join the generator group from this process, or undefined when it can. */
function generatorUnusable(dirs: readonly string[], procs: readonly string[], d: Detected): string | undefined {
  if (!d.ok) return d.why;
  if (dirs.length === 0) return 'the stack recorded no generator group';
  const missing = procs.find((f) => !existsSync(f));
  if (missing) return `${missing} is absent`;
  // Joining a group outside our own subtree would move k6 out of the limits the machine set on us.
  const ours = Object.values(d.host.self);
  const outside = dirs.find((dir) => !ours.some((o) => dir.startsWith(`${o}/`)));
  if (outside) return `${outside} is not beneath this process's own group`;
  const ro = procs.find((f) => !writable(f));
  return ro ? `${ro} is not writable` : undefined;
}
