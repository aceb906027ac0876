// Keeps this process (conecta-load's own ingest, which parses k6's output as it streams) on the generator's CPUs
// while k6 runs, and gives it back its own set after. CPU affinity rather than a move into the generator's cgroup:
// the CLI process outlives the run (a ladder's next level, `down` removing the groups), and a process that had
// joined the group would keep it from being removed; affinity is undone in place and leaves the process's own
// cgroups, and the limits the machine set there, untouched. taskset (util-linux) sets every thread's mask (-a).

import { execFileSync } from 'node:child_process';

/** The CPU list `taskset -c -p` prints ("pid 12's current affinity list: 0,1" → "0,1"), or undefined. */
export function parseAffinity(text: string): string | undefined {
  return /current affinity list:\s*([0-9,-]+)\s*$/m.exec(text)?.[1];
}

const taskset = (args: string[]) => execFileSync('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** This process's pins: runners started together (--segments) share one, the first sets it, the last undoes it. */
let held: { cpus: string; restore: () => void; count: number } | undefined;

/**
 * Pins this process (every thread) to `cpus`; returns the function that gives it back its former set, or undefined
 * when the pin could not be made (no taskset, a refused mask): the run then says the ingest was not pinned.
 */
export function pinTo(cpus: string): (() => void) | undefined {
  if (held) {
    if (held.cpus !== cpus) return undefined;
    held.count += 1;
    return release;
  }
  const pid = String(process.pid);
  let before: string | undefined;
  try {
    before = parseAffinity(taskset(['-c', '-p', pid]));
    if (before === undefined) return undefined;
    taskset(['-a', '-c', '-p', cpus, pid]);
  } catch {
    return undefined;
  }
  held = {
    cpus, count: 1,
    restore: () => {
      try {
        taskset(['-a', '-c', '-p', before!, pid]);
      } catch {
        // The process keeps the generator's CPUs: slower elsewhere, never wrong.
      }
    },
  };
  return release;
}

function release(): void {
  if (!held || --held.count > 0) return;
  const { restore } = held;
  held = undefined;
  restore();
}
