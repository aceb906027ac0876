// Starts, stops and inspects the sandbox as a separate process: used by `conecta-load sandbox up|down|serve`
// and by end-to-end tests. The sandbox runs compiled: dist/node/sandbox/main.js (build with `npx tsc` first).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultSet } from '../../sandbox/faults.js';
import { serveArgv, serveOptionsFrom, type ServeFlags, type ServeOptions } from '../../sandbox/options.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { canBind } from '../free-port.js';
import { SANDBOX_STATE_SCHEMA, type SandboxState } from './schema.js';
import { fullStackStatus, readFullState, startFullSandbox, stopFullStack, type FullStatus, type RunningFullStack } from './full/index.js';
import { alive, outFile, readState, removeState, stateDir, writeState } from './state.js';

export interface SandboxOptions {
  port?: number;
  instances?: number;
  dataDir?: string;
  /** Turn off the rate and login limits (capacity runs). */
  noLimits?: boolean;
  rateLimitPerMin?: number;
  loginLimit?: number;
  tokenTtlS?: number;
  /** Data set size (1 = the default 50 condominiums / 10 000 units); tests use ~0.1. */
  seedScale?: number;
  seed?: number;
  faults?: FaultSet;
  /** Raw CLI flags (fault flags etc.), applied under the typed options above. */
  flags?: ServeFlags;
  /** How long to wait for /health and every instance (default 180 s: the first seed at scale 1 takes a few). */
  readyTimeoutMs?: number;
  /** 'embedded' (default): the Node balancer and SQLite; 'full': real nginx, PostgreSQL, Redis, Prometheus. */
  stack?: 'embedded' | 'full';
  /** Full stack: worker processes per API instance (default 1) and PostgreSQL pool per instance and node (default 10). */
  workers?: number;
  poolSize?: number;
  /** Full stack: progress lines (seeding, leftovers of a killed run). */
  say?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** The compiled sandbox entry, found from the package root (this module runs from dist/ or, in tests, from source). */
function findMain(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'node', 'sandbox', 'main.js');
}
const MAIN = findMain();

/** Options → validated serve options; a bad value is a one-line usage error. */
export function resolveOptions(o: SandboxOptions): ServeOptions {
  const f: ServeFlags = { ...o.flags };
  const s = (v: number | undefined) => (v === undefined ? undefined : String(v));
  f.port = s(o.port) ?? f.port;
  f.instances = s(o.instances) ?? f.instances;
  f.dataDir = o.dataDir ?? f.dataDir;
  if (o.noLimits) f.limits = false;
  f.rateLimit = s(o.rateLimitPerMin) ?? f.rateLimit;
  f.loginLimit = s(o.loginLimit) ?? f.loginLimit;
  f.tokenTtl = s(o.tokenTtlS) ?? f.tokenTtl;
  f.seedScale = s(o.seedScale) ?? f.seedScale;
  f.seed = s(o.seed) ?? f.seed;
  if (o.faults) f.faultsJson = JSON.stringify(o.faults);
  try {
    return serveOptionsFrom(f);
  } catch (e) {
    throw new ConectaError(`sandbox: ${(e as Error).message}`, ExitCode.USAGE);
  }
}

/** GET on loopback with a short timeout; resolves the status and body, or undefined when nothing answers. */
export function probe(port: number, path: string, timeoutMs = 1000): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: HOST, port, path, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Refuses to start on a port held by a known sandbox, an unknown sandbox, or anything else. */
async function checkPorts(o: ServeOptions): Promise<void> {
  const st = readState(o.port);
  if (st && alive(st.pid)) {
    throw new ConectaError(`a sandbox is already running on port ${o.port} (pid ${st.pid})`, ExitCode.SANDBOX,
      `stop it with: conecta-load sandbox down --port ${o.port}`);
  }
  if (st) removeState(o.port); // stale: its process is gone
  if (!(await canBind(o.port))) {
    const p = await probe(o.port, '/__sandbox/instances');
    if (p && p.status === 200 && p.body.includes('"instances"')) {
      throw new ConectaError(`a sandbox is already running on port ${o.port}`, ExitCode.SANDBOX, 'stop the one running there first');
    }
    throw new ConectaError(`port ${o.port} is in use by another process`, ExitCode.SANDBOX, 'choose another with --port');
  }
  for (let p = o.port + 1; p <= o.port + o.instances; p++) {
    if (!(await canBind(p))) {
      throw new ConectaError(`port ${p} (for API instance ${p - o.port}) is in use`, ExitCode.SANDBOX,
        `the sandbox needs ports ${o.port}..${o.port + o.instances}; choose another --port`);
    }
  }
  if (!existsSync(MAIN)) {
    throw new ConectaError(`${MAIN} is missing`, ExitCode.SANDBOX, 'build first: npx tsc -p tsconfig.json');
  }
}

/** The last `sandbox: …` line the process printed: why it failed. */
function lastWords(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n').filter((l) => l.startsWith('sandbox: '));
    return lines.at(-1)?.slice('sandbox: '.length) ?? 'it exited without a message';
  } catch {
    return 'it exited without a message';
  }
}

/** Waits until every instance is healthy behind the balancer, the child dies, or the time is up. */
async function waitReady(o: ServeOptions, child: ChildProcess, timeoutMs: number): Promise<string | undefined> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'exited';
    const p = await probe(o.port, '/__sandbox/instances', 500);
    if (p?.status === 200) {
      let instances: Array<{ healthy: boolean }> = [];
      try {
        instances = (JSON.parse(p.body) as { instances: Array<{ healthy: boolean }> }).instances;
      } catch {
        /* not ready to answer yet */
      }
      const all = instances.length === o.instances && instances.every((i) => i.healthy);
      if (all && (await probe(o.port, '/health', 2000))?.status === 200) return undefined;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'timeout';
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Starts the sandbox in the background and resolves once it is healthy. */
export async function startSandbox(opts: SandboxOptions & { stack: 'full' }): Promise<RunningFullStack>;
export async function startSandbox(opts?: SandboxOptions): Promise<RunningSandbox>;
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox | RunningFullStack> {
  const o = resolveOptions(opts);
  if (opts.stack === 'full') {
    if (o.faults.rules.length) throw new ConectaError('sandbox: fault flags (--latency, --error-rate, --cpu-ms, --faults-json) apply to the embedded stack only', ExitCode.USAGE);
    return startFullSandbox(o, { workers: opts.workers, poolSize: opts.poolSize, say: opts.say });
  }
  await checkPorts(o);
  mkdirSync(stateDir(), { recursive: true });
  const out = outFile(o.port);
  const fd = openSync(out, 'w');
  const child = spawn(process.execPath, [MAIN, ...serveArgv(o)], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new ConectaError('sandbox: could not spawn node', ExitCode.SANDBOX);
  const url = `http://${HOST}:${o.port}`;
  writeState({
    schema: SANDBOX_STATE_SCHEMA, pid, port: o.port, url, instances: o.instances, dataDir: o.dataDir,
    logFile: o.logFile, outFile: out, startedAt: new Date().toISOString(), detached: true,
  });
  const failed = await waitReady(o, child, opts.readyTimeoutMs ?? 180_000);
  if (failed) {
    killGroup(pid, 'SIGKILL');
    removeState(o.port);
    const why = failed === 'timeout' ? `not healthy after ${(opts.readyTimeoutMs ?? 180_000) / 1000} s` : lastWords(out);
    throw new ConectaError(`sandbox did not start on port ${o.port}: ${why}`, ExitCode.SANDBOX, `see ${out}`);
  }
  child.unref();
  return { url, port: o.port, pid, stop: async () => void (await stopSandbox(o.port)) };
}

/** Stops the sandbox on `port` (SIGTERM, then SIGKILL after `timeoutMs`) and frees the port; false if none ran. */
export async function stopSandbox(port: number, timeoutMs = 10_000): Promise<boolean> {
  if (readFullState(port)) return stopFullStack(port);
  const st = readState(port);
  if (!st) return false;
  if (alive(st.pid)) {
    // Detached sandboxes lead their own process group, so the instances go with their supervisor.
    if (st.detached) killGroup(st.pid, 'SIGTERM');
    else process.kill(st.pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (alive(st.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(st.pid)) killGroup(st.pid, 'SIGKILL');
  }
  // The port is free once the instances have closed theirs too.
  const deadline = Date.now() + timeoutMs;
  while (!(await canBind(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  removeState(port);
  return true;
}

export interface SandboxStatus {
  state?: SandboxState;
  running: boolean;
  instances?: unknown;
}

export async function sandboxStatus(port: number): Promise<SandboxStatus | FullStatus> {
  const full = await fullStackStatus(port);
  if (full) return full;
  const state = readState(port);
  const p = await probe(port, '/__sandbox/instances');
  const instances = p?.status === 200 ? (JSON.parse(p.body) as unknown) : undefined;
  return { state, running: Boolean(state && alive(state.pid)) || instances !== undefined, instances };
}

/** Runs the sandbox in the foreground until it exits (Ctrl-C stops it); resolves its exit code. */
export async function serveSandbox(opts: SandboxOptions = {}): Promise<number> {
  const o = resolveOptions(opts);
  await checkPorts(o);
  const child = spawn(process.execPath, [MAIN, ...serveArgv(o)], { stdio: 'inherit' });
  if (child.pid === undefined) throw new ConectaError('sandbox: could not spawn node', ExitCode.SANDBOX);
  writeState({
    schema: SANDBOX_STATE_SCHEMA, pid: child.pid, port: o.port, url: `http://${HOST}:${o.port}`, instances: o.instances,
    dataDir: o.dataDir, logFile: o.logFile, outFile: '-', startedAt: new Date().toISOString(), detached: false,
  });
  // Pass a stop on to the child and wait for it to finish cleanly (a terminal's Ctrl-C reaches both; the
  // supervisor's stop is idempotent).
  const pass = () => void child.kill('SIGTERM');
  process.on('SIGINT', pass);
  process.on('SIGTERM', pass);
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 0)));
  process.off('SIGINT', pass);
  process.off('SIGTERM', pass);
  removeState(o.port);
  return code;
}
