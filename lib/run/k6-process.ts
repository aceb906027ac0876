// Runs the real k6 binary: spawns it, records its console to k6.log, watches its CPU, stops it on Ctrl-C. Progress comes
// from what the ingest has read of its streamed output (lib/run/run.ts), not from k6's REST API.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, createReadStream, createWriteStream, openSync, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { processCollector } from '../collect/process.js';
import type { CollectedSeries } from '../collect/types.js';
import { freePort } from '../free-port.js';
import type { Io } from '../io.js';
import { isRemoteWriteLine } from './remote-write.js';

/** k6's own exit codes that matter here (errext/exitcodes/codes.go in k6). */
export const K6Exit = {
  OK: 0,
  THRESHOLDS_FAILED: 99,
  INVALID_CONFIG: 104,
  EXTERNAL_ABORT: 105,
  SCRIPT_EXCEPTION: 107,
  SCRIPT_ABORTED: 108,
  /** Not k6's: the shell that starts k6 in the generator group could not write its pid there (k6 never ran). */
  CGROUP_REFUSED: 97,
} as const;

export interface K6Spec {
  k6: string;
  script: string;
  /** Raw output file; `.gz` makes k6 compress it. */
  outFile: string;
  logFile: string;
  /** Variables the script reads through __ENV. */
  env: Record<string, string>;
  localIps?: string;
  /** More k6 flags, before the script (`run --segments`: --execution-segment, its sequence, a segment tag). */
  extraArgs?: readonly string[];
  /**
   * Stream k6's output instead of letting it write `outFile`: k6 writes plain JSON into a FIFO beside `outFile`
   * (`--out json=<fifo>`), whose read end is handed to this callback as k6 starts.
   */
  onOutput?: (out: Readable) => void;
  /**
   * The generator group's cgroup.procs files: k6 starts inside that group (a shell writes its own pid there, then
   * execs k6, so k6 and every thread it makes run there from its first instruction, before any load).
   */
  cgroupProcs?: readonly string[];
  /** k6's own web dashboard on 127.0.0.1:<port> (`run --k6-dashboard`); without it the dashboard stays off. */
  webDashboardPort?: number;
}

/**
 * k6's web dashboard, off unless asked for: k6 plans to turn it on by default (k6 #4913), and a toolkit that starts
 * k6 opens no port it did not ask for. Asked for, it listens on loopback only and opens no browser.
 */
export function webDashboardEnv(port: number | undefined): Record<string, string> {
  if (port === undefined) return { K6_WEB_DASHBOARD: 'false' };
  return { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '127.0.0.1', K6_WEB_DASHBOARD_PORT: String(port), K6_WEB_DASHBOARD_OPEN: 'false' };
}

/** The environment k6 runs with: ours, then the run's variables, then the dashboard's setting, which nothing
 *  inherited overrides (a K6_WEB_DASHBOARD=true exported in the shell does not open a port). */
export function k6Environment(inherited: Readonly<Record<string, string | undefined>>, spec: K6Spec): Record<string, string | undefined> {
  return { ...inherited, ...spec.env, ...webDashboardEnv(spec.webDashboardPort) };
}

/** The shell that joins the group and becomes k6: exit 97 when the kernel refuses the pid, before k6 runs. */
const JOIN_THEN_EXEC = `for f in $CONECTA_CGROUP_PROCS; do echo $$ > "$f" || exit ${K6Exit.CGROUP_REFUSED}; done; exec "$0" "$@"`;

/** The program, arguments and extra environment that start k6 for `spec` (inside its group when it has one). */
export function k6Command(spec: K6Spec, args: readonly string[]): { file: string; args: string[]; env: Record<string, string> } {
  if (!spec.cgroupProcs?.length) return { file: spec.k6, args: [...args], env: {} };
  return { file: '/bin/sh', args: ['-c', JOIN_THEN_EXEC, spec.k6, ...args], env: { CONECTA_CGROUP_PROCS: spec.cgroupProcs.join(' ') } };
}

/** The FIFO k6 writes into when its output is streamed to us. */
export function fifoOf(spec: K6Spec): string {
  return `${spec.outFile.replace(/\.json(\.gz)?$/, '')}.fifo`;
}

export interface K6Outcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  interrupted: boolean;
  /** A threshold with abortOnFail stopped the test before its end. */
  abortedByThreshold: boolean;
  /** Why an observer stopped the run (RunControl.stop), when one did. */
  stopped?: string;
  /** The last error-level line of k6's log, for the user. */
  lastError?: string;
  /** k6's own CPU, in cores, sampled every 2 s from /proc: is the load generator itself the bottleneck? */
  cpu?: { peakCores: number; meanCores: number; samples: number };
  /** k6 was started inside the generator group. */
  inGroup?: boolean;
  /** k6's CPU and RSS series behind `cpu` (a ladder's per-level figures, through RunObserver.onGeneratorSeries). */
  series?: CollectedSeries[];
}

/** The k6 command line for a spec (also recorded in run.json, so a run can be repeated by hand). */
export function k6Args(spec: K6Spec, apiPort: number): string[] {
  return [
    'run',
    '--out', `json=${spec.onOutput ? fifoOf(spec) : spec.outFile}`,
    // Each k6 on a port of its own: runners started together (--segments) would collide on k6's default 6565.
    '--address', `127.0.0.1:${apiPort}`,
    '--no-color',
    '--quiet',
    ...(spec.localIps ? ['--local-ips', spec.localIps] : []),
    ...(spec.extraArgs ?? []),
    spec.script,
  ];
}

/**
 * Runs k6 to its end. Ctrl-C is passed on as SIGINT, which k6 treats as a graceful stop (it flushes its outputs);
 * a second Ctrl-C kills it. Whatever k6 wrote is left on disk for ingestion in every case.
 */
export interface K6Control {
  /** Told when k6 has been spawned (epoch ms). */
  onStart?: (atMs: number) => void;
  /** Aborted: k6 gets one SIGINT (a graceful stop) and the outcome says why (the signal's reason). */
  stop?: AbortSignal;
}

export async function runK6(spec: K6Spec, io: Io, control: K6Control = {}): Promise<K6Outcome> {
  const { onStart, stop } = control;
  const apiPort = await freePort();
  const fifo = spec.onOutput ? makeFifo(fifoOf(spec)) : undefined;
  // Opening a FIFO's read end waits for a writer (on the thread pool, not this thread): k6 opens it as it starts.
  const output = fifo ? createReadStream(fifo, { highWaterMark: 1024 * 1024 }) : undefined;
  if (output) output.once('close', () => rmSync(fifo!, { force: true }));
  const log = createWriteStream(spec.logFile);
  const cmd = k6Command(spec, k6Args(spec, apiPort));
  const child = spawn(cmd.file, cmd.args, {
    env: { ...k6Environment(io.env, spec), ...cmd.env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal Ctrl-C reaches only us, and we pass exactly one SIGINT on (k6 treats a
    // second one as "stop now, skip the flush").
    detached: true,
  });
  if (child.pid !== undefined) onStart?.(io.now());
  if (output) spec.onOutput!(output);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cpuWatch = child.pid ? processCollector([child.pid], { intervalMs: 2000 }) : undefined;
  await cpuWatch?.start();
  let lastError: string | undefined;
  let abortedByThreshold = false;
  const scan = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      // A failed push to Prometheus is the live view's trouble, not the run's: it never names why k6 failed.
      if (!isRemoteWriteLine(line) && (/level=(error|fatal)/.test(line) || /^\s*(ERRO|FATA)/.test(line))) {
        lastError = (/msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line).slice(0, 300);
      }
      if (/abortOnFail|stopping test prematurely/i.test(line)) abortedByThreshold = true;
    }
  };
  child.stdout!.on('data', scan);
  child.stderr!.on('data', scan);

  let interrupts = 0;
  let stopped: string | undefined;
  const removeInterrupt = io.onInterrupt(() => {
    interrupts += 1;
    child.kill(interrupts === 1 && stopped === undefined ? 'SIGINT' : 'SIGKILL');
  });
  const onStop = () => {
    if (stopped !== undefined || interrupts > 0) return;
    stopped = String(stop!.reason ?? 'stopped');
    child.kill('SIGINT');
  };
  if (stop?.aborted) onStop();
  else stop?.addEventListener('abort', onStop, { once: true });

  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve([code, sig]));
    });
    // k6 died before opening its output: open the FIFO's write end once and close it, so the reader sees the end.
    if (output && output.pending) releaseFifo(fifo!);
    const series = await cpuWatch?.stop();
    const cpu = cpuOf(series, child.pid);
    return {
      exitCode, signal, interrupted: interrupts > 0, abortedByThreshold, lastError, ...(spec.cgroupProcs?.length ? { inGroup: true } : {}),
      ...(stopped !== undefined ? { stopped } : {}), ...(cpu ? { cpu } : {}), ...(series ? { series } : {}),
    };
  } finally {
    removeInterrupt();
    stop?.removeEventListener('abort', onStop);
    process.off('exit', killOnExit);
    await new Promise((r) => log.end(r));
  }
}

function makeFifo(path: string): string {
  rmSync(path, { force: true });
  execFileSync('mkfifo', ['-m', '600', path]);
  return path;
}

function releaseFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader waits any more; nothing to release.
  }
}

/** Peak and mean of k6's CPU series (cores), or undefined when too few samples were taken. */
function cpuOf(series: readonly CollectedSeries[] | undefined, pid: number | undefined): K6Outcome['cpu'] {
  const s = series?.find((x) => x.resource === 'cpu' && x.instance === String(pid));
  if (!s || s.status !== 'ok' || s.samples.length === 0) return undefined;
  const values = s.samples.map((x) => x.value);
  return {
    peakCores: Math.max(...values),
    meanCores: values.reduce((a, b) => a + b, 0) / values.length,
    samples: values.length,
  };
}
