// `host:cpu`: the idle CPU of the machine the load generator runs on, from /proc/stat (Linux). A level where this
// machine had no idle CPU left while k6 used a large share of it measured the generator, not the target.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { counterRates, type CollectedSeries, type Collector, type Sample } from './types.js';

/** Idle + iowait seconds of all CPUs from /proc/stat's first line (USER_HZ is 100 on Linux). */
export function parseIdleSeconds(stat: string, ticksPerS = 100): number | null {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 5 || f.some((x) => !Number.isFinite(x))) return null;
  return (f[3]! + f[4]!) / ticksPerS;
}

export function hostCpuCollector(opts: { intervalMs?: number } = {}): Collector {
  const intervalMs = opts.intervalMs ?? 2000;
  const raw: Sample[] = [];
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    try {
      const idle = parseIdleSeconds(readFileSync('/proc/stat', 'utf8'));
      if (idle !== null) raw.push({ t: Date.now(), value: idle });
    } catch {
      // not Linux: the series comes back missing
    }
  };
  return {
    spec: 'host:cpu',
    async start() {
      raw.length = 0;
      sample();
      timer = setInterval(sample, intervalMs);
      timer.unref();
    },
    async stop(): Promise<CollectedSeries[]> {
      clearInterval(timer);
      sample();
      const samples = counterRates(raw);
      const head = { resource: 'host_idle', instance: 'all', unit: 'cores' as const };
      return [samples.length
        ? { status: 'ok', ...head, samples }
        : { status: 'missing', ...head, reason: `no /proc/stat samples (${cpus().length} cores)` }];
    },
  };
}
