// `capacity run --instances 1,2,3`: the same ladder at each API instance count on the bundled stack (which the
// sweep starts, one count at a time, on the target's port), then analyzeScaling over the measured points.

import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../atomic-file.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { defaultResultsDir, isLoopbackTarget } from '../run/run-dir.js';
import { runCapacity, type CapacityRunOptions } from './ladder/run.js';
import { analyzeScaling, instancePoint, SCALING_FILE, type InstancePoint, type InstanceScaling } from './scaling.js';

/** Starts the bundled stack with n API instances on `port`; resolves its URL and a stop. */
export type StackStarter = (instances: number, port: number) => Promise<{ url: string; stop(): Promise<void> }>;

export async function runInstanceSweep(counts: readonly number[], opts: CapacityRunOptions, start: StackStarter, io: Io):
  Promise<{ dir: string; scaling: InstanceScaling }> {
  if (!isLoopbackTarget(opts.target)) {
    throw new ConectaError(`--instances ${counts.join(',')} restarts the bundled stack, so --target must be this machine, got ${opts.target}`, ExitCode.USAGE);
  }
  const port = Number(new URL(opts.target).port || 80);
  const dir = resolve(io.cwd, opts.outDir ?? defaultResultsDir(io.cwd, io.now(), 'capacity-instances'));
  const points: InstancePoint[] = [];
  for (const n of [...new Set(counts)].sort((a, b) => a - b)) {
    io.stderr(`capacity: ${n} API instance(s): starting the bundled stack on port ${port}\n`);
    const stack = await start(n, port);
    const capDir = join(dir, `instances-${n}`);
    try {
      const { result } = await runCapacity({ ...opts, target: stack.url, instances: n, outDir: capDir }, io);
      points.push(instancePoint(n, capDir, result));
    } finally {
      await stack.stop();
    }
  }
  const scaling = analyzeScaling(opts.target, opts.levels ?? [], points, cpus().length, new Date(io.now()));
  writeJsonAtomic(join(dir, SCALING_FILE), scaling);
  return { dir, scaling };
}
