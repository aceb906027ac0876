// `capacity run --instances 1,2,3`: the same ladder at each API instance count — on the bundled stack (which the
// sweep starts, one count at a time, on the target's port, each instance at the declared size) or on the user's own
// stack resized by --scale-command — then analyzeScaling over the measured points.

import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../atomic-file.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { defaultResultsDir, isLoopbackTarget } from '../run/run-dir.js';
import { runCapacity, type CapacityRunOptions } from './ladder/run.js';
import { analyzeScaling, instancePoint, SCALING_FILE, type InstancePoint, type InstanceScaling, type InstanceSize } from './scaling.js';
import type { CapacityResult } from './schema.js';
import { scaleCommandStarter } from './scale-command.js';
import { fullStackUnavailable, planBudgets, startSandbox, type SandboxOptions } from '../sandbox/index.js';

/** Brings the stack to n API instances behind `port`; resolves its URL and a stop (a no-op for a stack we do not own). */
export type StackStarter = (instances: number, port: number) => Promise<{ url: string; stop(): Promise<void> }>;

export interface SweepOptions {
  counts: readonly number[];
  run: CapacityRunOptions;
  start: StackStarter;
  size: InstanceSize;
  /** The starter restarts the bundled stack on the target's port: the target must be this machine. */
  bundled: boolean;
}

export async function runInstanceSweep(s: SweepOptions, io: Io): Promise<{ dir: string; scaling: InstanceScaling }> {
  const { counts, run: opts } = s;
  if (s.bundled && !isLoopbackTarget(opts.target)) {
    throw new ConectaError(`--instances ${counts.join(',')} restarts the bundled stack, so --target must be this machine, got ${opts.target}`, ExitCode.USAGE);
  }
  const port = Number(new URL(opts.target).port || 80);
  const dir = resolve(io.cwd, opts.outDir ?? defaultResultsDir(io.cwd, io.now(), 'capacity-instances'));
  const points: InstancePoint[] = [];
  let last: CapacityResult | undefined;
  for (const n of [...new Set(counts)].sort((a, b) => a - b)) {
    io.stderr(`capacity: ${n} API instance(s) (${s.size.how}) on port ${port}\n`);
    const stack = await s.start(n, port);
    const capDir = join(dir, `instances-${n}`);
    try {
      const { result } = await runCapacity({ ...opts, target: stack.url, instances: n, outDir: capDir }, io);
      points.push(instancePoint(n, capDir, result));
      last = result;
      io.stderr(`capacity: ${n} instance(s): ${points.at(-1)!.peakThroughputRps.toFixed(1)} rps at most, ${points.at(-1)!.maxUsersHeld ?? 'no'} users held\n`);
    } finally {
      await stack.stop();
    }
  }
  const cells = (last?.assertions ?? []).filter((a) => a.resource === 'apiInstances').map((a) => ({ users: a.users, apiInstances: a.asserted }));
  const rule = last ? { targetUtilisation: last.targets.targetUtilisation, redundancy: last.targets.redundancy } : undefined;
  const scaling = analyzeScaling({
    target: opts.target, levels: opts.levels ?? [], points, cores: cpus().length, now: new Date(io.now()), size: s.size, cells, ...(rule ? { rule } : {}),
  });
  writeJsonAtomic(join(dir, SCALING_FILE), scaling);
  return { dir, scaling };
}

/** The instance sweep's flags: which stack is resized and how, and each instance's declared size. */
export interface SweepFlags { stack?: string; apiCpu?: number; apiMem?: number; scaleCommand?: string; readyUrl?: string; readyTimeout?: number }

/**
 * How the sweep brings the stack to each count, checked before any load: the bundled stack restarted (the embedded
 * one, or the full one with --api-cpu/--api-mem per instance), or the user's stack resized by --scale-command.
 */
export function sweepStarter(f: SweepFlags, counts: readonly number[], target: string, sandbox: Pick<SandboxOptions, 'say' | 'dataDir' | 'seedScale' | 'noLimits'> = {}): { start: StackStarter; size: InstanceSize; bundled: boolean } {
  if (f.stack !== undefined && f.stack !== 'full' && f.stack !== 'embedded') throw new ConectaError(`--stack must be full or embedded, got "${f.stack}"`, ExitCode.USAGE);
  const sized = f.apiCpu !== undefined || f.apiMem !== undefined;
  if (f.scaleCommand !== undefined) {
    if (f.stack !== undefined || sized) throw new ConectaError('--scale-command resizes your own stack: --stack, --api-cpu and --api-mem apply to the bundled one', ExitCode.USAGE);
    return { start: scaleCommandStarter(f.scaleCommand, target, f.readyUrl, f.readyTimeout), size: { cpu: null, memBytes: null, how: `your stack, resized by: ${f.scaleCommand}` }, bundled: false };
  }
  if (f.readyUrl !== undefined || f.readyTimeout !== undefined) throw new ConectaError('--ready-url and --ready-timeout go with --scale-command', ExitCode.USAGE);
  if (f.stack !== 'full') {
    if (sized) throw new ConectaError('--api-cpu and --api-mem size the full stack\'s instances: add --stack full', ExitCode.USAGE);
    return { start: (instances, port) => startSandbox({ ...sandbox, port, instances }), size: { cpu: null, memBytes: null, how: 'the embedded stack restarted at each count, instances unbounded' }, bundled: true };
  }
  const budgets = { cpu: f.apiCpu !== undefined ? { api: f.apiCpu } : {}, mem: f.apiMem !== undefined ? { api: f.apiMem } : {} };
  // The largest count must fit the stack's CPU set at this size: one line and exit 2 before anything starts.
  planBudgets(budgets, cpus().length, Math.max(...counts));
  const why = fullStackUnavailable();
  if (why) throw new ConectaError(`--stack full: ${why}`, ExitCode.SANDBOX);
  const size = { cpu: f.apiCpu ?? null, memBytes: f.apiMem ?? null, how: `the full stack restarted at each count${f.apiCpu !== undefined ? `, each API instance in a cgroup of ${f.apiCpu} CPU` : ''}` };
  return { start: (instances, port) => startSandbox({ ...sandbox, stack: 'full', port, instances, budgets }), size, bundled: true };
}
