// The embedded stack as a Stack: one Node supervisor process (dist/node/sandbox/main.js: the balancer and its
// forked API instances on SQLite), started detached (`sandbox up`) or in the foreground (`sandbox serve`), and
// driven through its balancer's control routes (sandbox/lb/control-routes.ts). Build with `npx tsc` first.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { serveArgv, type ServeOptions } from '../../sandbox/options.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { compiledDir } from '../package-files.js';
import { alive, canBind, firstTaken, HOST, killGroup, sleep, stopPid } from './process.js';
import { SANDBOX_STATE_SCHEMA, type SandboxState } from './schema.js';
import type { ComponentStatus, RunningStack, Stack, StackAction, StackActionKind, StackStatus } from './stack.js';
import { outFile, readState, removeState, stateDir, writeState } from './state.js';

const CONTROL_TIMEOUT_MS = 60_000;

/** The compiled sandbox entry (this module runs from dist/ or, in tests, from source). */
const MAIN = join(compiledDir(), 'sandbox', 'main.js');

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

interface InstanceRow {
  name: string;
  pid: number | null;
  port: number;
  healthy: boolean;
}

interface BalancerView {
  lb: { pid: number; port: number };
  instances: InstanceRow[];
}

/** The balancer's view of itself and its instances, or undefined when no embedded sandbox answers on `port`. */
async function balancerView(port: number, timeoutMs = 2000): Promise<BalancerView | undefined> {
  const p = await probe(port, '/__sandbox/instances', timeoutMs);
  if (p?.status !== 200) return undefined;
  try {
    const view = JSON.parse(p.body) as Partial<BalancerView>;
    return Array.isArray(view.instances) && view.lb ? (view as BalancerView) : undefined;
  } catch {
    return undefined;
  }
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
    if (await balancerView(o.port, 1000)) {
      throw new ConectaError(`a sandbox is already running on port ${o.port}`, ExitCode.SANDBOX, 'stop the one running there first');
    }
    throw new ConectaError(`port ${o.port} is in use by another process`, ExitCode.SANDBOX, 'choose another with --port');
  }
  const taken = await firstTaken(Array.from({ length: o.instances }, (_, k) => ({ instance: k + 1, port: o.port + k + 1 })));
  if (taken) {
    throw new ConectaError(`port ${taken.port} (for API instance ${taken.instance}) is in use`, ExitCode.SANDBOX,
      `the sandbox needs ports ${o.port}..${o.port + o.instances}; choose another --port`);
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
    const rows = (await balancerView(o.port, 500))?.instances;
    if (rows && rows.length === o.instances && rows.every((i) => i.healthy) && (await probe(o.port, '/health', 2000))?.status === 200) {
      return undefined;
    }
    await sleep(100);
  }
  return 'timeout';
}

interface Outcome {
  name: string;
  action: string;
  oldPid: number | null;
  newPid: number | null;
  drainMs: number;
  readyMs: number;
}

function describe(o: Outcome): string {
  if (o.action === 'add') return `${o.name} added (pid ${o.newPid}), ready in ${o.readyMs} ms`;
  if (o.action === 'remove') return `${o.name} removed (pid ${o.oldPid}) after a ${o.drainMs} ms drain`;
  const drain = o.action === 'restart' ? `drained in ${o.drainMs} ms, ` : '';
  return `${o.name} pid ${o.oldPid} → ${o.newPid}, ${drain}replacement ready in ${o.readyMs} ms`;
}

/** One call to the balancer's control routes; its JSON answer, or a SANDBOX error with the route's message. */
async function control(url: string, method: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
  } catch {
    throw new ConectaError(`no sandbox answers at ${new URL(url).origin}`, ExitCode.SANDBOX, 'start one with: conecta-load sandbox up');
  }
  const data = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new ConectaError(`HTTP ${res.status}: ${data.message ?? 'failed'}`, ExitCode.SANDBOX);
  return data;
}

/** Stops the sandbox recorded on `port` and waits until its ports are free; false if none was recorded. */
async function stopAt(port: number, timeoutMs = 10_000): Promise<boolean> {
  const st = readState(port);
  if (!st) return false;
  // The supervisor's SIGTERM drains and stops its instances; SIGKILL to its group takes them if it hangs.
  await stopPid(st.pid, 'SIGTERM', timeoutMs);
  // The port is free once the instances have closed theirs too.
  const deadline = Date.now() + timeoutMs;
  while (!(await canBind(port)) && Date.now() < deadline) await sleep(50);
  removeState(port);
  return true;
}

/** The embedded stack behind `url` (started here or not: its control routes are all it needs). */
export function embeddedStackAt(url: string): Stack {
  const root = url.replace(/\/+$/, '');
  const u = new URL(root);
  const port = Number(u.port || 80);
  const cannot = (kind: StackActionKind): string | undefined => {
    if (kind === 'promote-replica') return 'it runs on SQLite, with no PostgreSQL replica (use the full stack)';
    if (kind === 'failover') return 'it has no Redis or sentinel (use the full stack)';
    return undefined;
  };
  return {
    stack: 'embedded',
    url: root,
    port,
    async status(): Promise<EmbeddedStatus> {
      const state = readState(port);
      const view = await balancerView(port);
      const components: ComponentStatus[] = [];
      const lbPid = view?.lb.pid ?? state?.pid;
      if (lbPid !== undefined) components.push({ name: 'balancer', role: 'balancer', pid: lbPid, port, url: root, healthy: view !== undefined });
      for (const r of view?.instances ?? []) {
        if (r.pid !== null) components.push({ name: r.name, role: 'api', pid: r.pid, port: r.port, url: `http://${HOST}:${r.port}`, healthy: r.healthy });
      }
      return { stack: 'embedded', running: Boolean(state && alive(state.pid)) || view !== undefined, url: root, components, state };
    },
    async instances() {
      return (await balancerView(port))?.instances.map((r) => r.name) ?? [];
    },
    cannot,
    async perform(a: StackAction): Promise<string> {
      if (a.kind === 'restart' || a.kind === 'kill') return describe((await control(`${root}/__sandbox/instances/${a.instance}/${a.kind}`, 'POST')) as Outcome);
      if (a.kind === 'scale') {
        const changes = ((await control(`${root}/__sandbox/instances`, 'PUT', { count: a.count })) as { changes: Outcome[] }).changes;
        return changes.length ? changes.map(describe).join('; ') : `already ${a.count} instances`;
      }
      throw new ConectaError(`${a.kind}: ${cannot(a.kind)}`, ExitCode.USAGE);
    },
    stop: async () => void (await stopAt(port)),
  };
}

/** `sandbox status` of the embedded stack: its state file too, when this machine started it. */
export interface EmbeddedStatus extends StackStatus {
  state?: SandboxState;
}

/** Starts the embedded stack in the background and resolves once every instance is healthy. */
/** How long `sandbox up` waits for /health and every instance: the first seed at scale 1 takes a few minutes. */
export const READY_TIMEOUT_S = 180;

export async function startEmbedded(o: ServeOptions, readyTimeoutMs = READY_TIMEOUT_S * 1000): Promise<RunningStack> {
  await checkPorts(o);
  mkdirSync(stateDir(), { recursive: true });
  const out = outFile(o.port);
  const fd = openSync(out, 'w');
  // Detached: the supervisor leads its own process group, so its instances go with it on a group kill.
  const child = spawn(process.execPath, [MAIN, ...serveArgv(o)], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new ConectaError('sandbox: could not spawn node', ExitCode.SANDBOX);
  const url = `http://${HOST}:${o.port}`;
  writeState({
    schema: SANDBOX_STATE_SCHEMA, pid, port: o.port, url, instances: o.instances, dataDir: o.dataDir,
    logFile: o.logFile, outFile: out, startedAt: new Date().toISOString(), detached: true,
  });
  const failed = await waitReady(o, child, readyTimeoutMs);
  if (failed) {
    await killGroup(pid);
    removeState(o.port);
    const why = failed === 'timeout' ? `not healthy after ${readyTimeoutMs / 1000} s` : lastWords(out);
    throw new ConectaError(`sandbox did not start on port ${o.port}: ${why}`, ExitCode.SANDBOX, `see ${out}`);
  }
  child.unref();
  return { ...embeddedStackAt(url), pid };
}

/** Runs the embedded stack in the foreground until it exits (Ctrl-C stops it); resolves its exit code. */
export async function serveEmbedded(o: ServeOptions): Promise<number> {
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
