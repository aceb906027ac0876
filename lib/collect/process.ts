// `process:PID[,PID…]`: RSS and CPU of local processes and their descendants, read from procfs (Linux), how many
// of them are runnable (state R: running, or waiting for a CPU its cgroup's quota withholds), and the bytes they
// read from and wrote to storage (/proc/PID/io: readable by root or the process's own user; missing otherwise).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { counterRates, sumSeries, type CollectedSeries, type Collector, type OkSeries, type Sample } from './types.js';

let clockTicks: number | undefined;
/** Clock ticks per second (USER_HZ) that /proc/PID/stat counts CPU time in. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** The scheduler's state letter: R runnable (running or waiting for a CPU), S sleeping, D in I/O, Z zombie, … */
  state: string;
}

/** Parses /proc/PID/stat; the command name may hold spaces and parentheses, so fields count from the last ")". */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf('(')).trim());
  const f = text.slice(close + 2).split(' ');
  // After ")": state(3) ppid(4) … utime(14) stime(15): index = field − 3.
  return { pid, ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), state: f[0] ?? '' };
}

/** VmRSS of /proc/PID/status in bytes (kB there); null for a zombie or kernel thread. */
export function parseRssBytes(status: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : null;
}

/** read_bytes and write_bytes of /proc/PID/io: what the process made the block layer fetch and write (its page
 *  cache hits and its writes still dirty are not I/O yet); null when a field is absent. */
export function parseIoBytes(io: string): { read: number; write: number } | null {
  const r = /^read_bytes:\s+(\d+)$/m.exec(io);
  const w = /^write_bytes:\s+(\d+)$/m.exec(io);
  return r && w ? { read: Number(r[1]), write: Number(w[1]) } : null;
}

function readStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The PID and every descendant alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

export function processCollector(pids: readonly number[], opts: { intervalMs?: number; maxDurationMs?: number; names?: Readonly<Record<number, string>> } = {}): Collector {
  const label = (pid: number) => opts.names?.[pid] ?? String(pid);
  const intervalMs = opts.intervalMs ?? 1000;
  const maxDurationMs = opts.maxDurationMs ?? 6 * 3600_000;
  const mem = new Map<number, Sample[]>();
  const cpu = new Map<number, Sample[]>();
  // Sampled counts of runnable processes: their mean is L, the work a component holds or queues for CPU (a
  // PostgreSQL backend woken by a query and held back by its quota is runnable before its statement starts).
  const runnable = new Map<number, Sample[]>();
  const diskRead = new Map<number, Sample[]>();
  const diskWrite = new Map<number, Sample[]>();
  const gone = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;

  function sample(): void {
    const t = Date.now();
    for (const root of pids) {
      const tree = readStat(root) ? processTree(root) : [];
      if (tree.length === 0) {
        gone.add(root);
        continue;
      }
      let rss = 0, ticks = 0, ready = 0, read = 0, write = 0, ioSeen = true;
      for (const pid of tree) {
        try {
          rss += parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? 0;
          const st = readStat(pid);
          ticks += st?.cpuTicks ?? 0;
          if (st?.state === 'R') ready++;
        } catch {
          // exited between listing and reading: it no longer uses memory
        }
        try {
          const io = parseIoBytes(readFileSync(`/proc/${pid}/io`, 'utf8'));
          if (io) {
            read += io.read;
            write += io.write;
          } else ioSeen = false;
        } catch (e) {
          // Another user's process without root: no I/O figure for this tree (an exited one simply did no more I/O).
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') ioSeen = false;
        }
      }
      mem.set(root, [...(mem.get(root) ?? []), { t, value: rss }]);
      cpu.set(root, [...(cpu.get(root) ?? []), { t, value: ticks / ticksPerSecond() }]);
      runnable.set(root, [...(runnable.get(root) ?? []), { t, value: ready }]);
      if (ioSeen) {
        diskRead.set(root, [...(diskRead.get(root) ?? []), { t, value: read }]);
        diskWrite.set(root, [...(diskWrite.get(root) ?? []), { t, value: write }]);
      }
    }
  }

  return {
    spec: `process:${pids.join(',')}`,
    async start() {
      startedAt = Date.now();
      sample();
      timer = setInterval(() => (Date.now() - startedAt > maxDurationMs ? clearInterval(timer) : sample()), intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      sample();
      const out: CollectedSeries[] = [];
      const kinds = [['memory', 'bytes', mem, false], ['cpu', 'cores', cpu, true], ['runnable', 'count', runnable, false],
        ['disk_read_bytes', 'per-second', diskRead, true], ['disk_write_bytes', 'per-second', diskWrite, true]] as const;
      for (const [resource, unit, data, rate] of kinds) {
        const parts: OkSeries[] = [];
        for (const pid of pids) {
          const raw = data.get(pid) ?? [];
          const samples = rate ? counterRates(raw) : raw;
          if (samples.length) parts.push({ status: 'ok', resource, instance: label(pid), unit, samples });
          else out.push({ status: 'missing', resource, instance: label(pid), unit, reason: gone.has(pid) ? `process ${pid} not found in /proc` : `too few samples of process ${pid}` });
        }
        out.push(...parts);
        const all = parts.length === pids.length ? sumSeries(resource, unit, parts) : null;
        if (all && all.samples.length) out.push(all);
        else out.push({ status: 'missing', resource, instance: 'all', unit, reason: 'not every process was measured' });
      }
      return out;
    },
  };
}
