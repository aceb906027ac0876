// `host:cpu`: the idle CPU of the machine the load generator runs on, from /proc/stat (Linux). A level where this
// machine had no idle CPU left while k6 used a large share of it measured the generator, not the target. And its
// steal time: CPU the hypervisor gave other guests while this one had work, which no cgroup inside it can isolate
// (13 % of the CPU time in one 5-s sample during the repeated demos here), so a level measured under it says so.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { counterRates, type CollectedSeries, type Collector, type Sample } from './types.js';

/**
 * Idle + iowait and steal seconds of all CPUs from /proc/stat's first line (USER_HZ is 100 on Linux; steal 0 where
 * the kernel has none).
 */
export function parseCpuSeconds(stat: string, ticksPerS = 100): { idle: number; steal: number } | null {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 5 || f.some((x) => !Number.isFinite(x))) return null;
  return { idle: (f[3]! + f[4]!) / ticksPerS, steal: (f[7] ?? 0) / ticksPerS };
}

export function hostCpuCollector(opts: { intervalMs?: number } = {}): Collector {
  const intervalMs = opts.intervalMs ?? 2000;
  /** One /proc/stat reading per tick: both series are its counters' rates. */
  const readings: Array<{ t: number; idle: number; steal: number }> = [];
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    try {
      const c = parseCpuSeconds(readFileSync('/proc/stat', 'utf8'));
      if (c !== null) readings.push({ t: Date.now(), ...c });
    } catch {
      // not Linux: the series comes back missing
    }
  };
  return {
    spec: 'host:cpu',
    async start() {
      readings.length = 0;
      sample();
      timer = setInterval(sample, intervalMs);
      timer.unref();
    },
    async stop(): Promise<CollectedSeries[]> {
      clearInterval(timer);
      sample();
      const series = (resource: string, of: (r: (typeof readings)[number]) => number): CollectedSeries => {
        const samples = counterRates(readings.map((r): Sample => ({ t: r.t, value: of(r) })));
        const head = { resource, instance: 'all', unit: 'cores' as const };
        return samples.length ? { status: 'ok', ...head, samples } : { status: 'missing', ...head, reason: `no /proc/stat samples (${cpus().length} cores)` };
      };
      return [series('host_idle', (r) => r.idle), series('host_steal', (r) => r.steal)];
    },
  };
}
