// The API instances behind the balancer: forks them on consecutive loopback ports, picks one round-robin among
// the healthy, replaces any that dies, and fans out fault updates and metric scrapes over IPC.

import { fork, type ChildProcess } from 'node:child_process';
import type { FaultSet } from '../faults.js';
import type { FromInstance, ToInstance } from '../ipc.js';
import type { Logger } from '../log.js';

export interface Upstream {
  name: string;
  port: number;
  healthy: boolean;
  pid?: number;
  restarts: number;
  child?: ChildProcess;
  /** Consecutive quick deaths, for the respawn backoff. */
  crashes: number;
  startedAt: number;
  /** Requests the balancer is proxying to it right now: a planned restart waits for 0 (drain). */
  inflight: number;
  /** Taken out of rotation on purpose (drain before a restart or a scale-down): 'ready' does not put it back yet. */
  draining: boolean;
  /** Scaled away: not respawned when it exits. */
  retired: boolean;
}

/** What a control action did, for the caller's record. */
export interface ControlOutcome {
  name: string;
  action: 'restart' | 'kill' | 'add' | 'remove';
  oldPid: number | null;
  newPid: number | null;
  /** Time spent waiting for in-flight requests to finish before the stop. */
  drainMs: number;
  /** From the stop to the replacement answering 'ready' (0 for a removal). */
  readyMs: number;
}

const DRAIN_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PoolOptions {
  count: number;
  /** Instance i listens on basePort + i. */
  basePort: number;
  script: string;
  env: Record<string, string>;
  log: Logger;
  onRestart?: (name: string) => void;
}

export class InstancePool {
  readonly upstreams: Upstream[];
  private rr = 0;
  private stopping = false;
  private faults: FaultSet = { rules: [] };
  private nextId = 0;
  private readonly pending = new Map<number, (data: unknown[]) => void>();

  constructor(private readonly opts: PoolOptions) {
    this.upstreams = Array.from({ length: opts.count }, (_, i) => this.fresh(i + 1));
  }

  private fresh(n: number): Upstream {
    return {
      name: `api-${n}`, port: this.opts.basePort + n, healthy: false, restarts: 0, crashes: 0, startedAt: 0,
      inflight: 0, draining: false, retired: false,
    };
  }

  /** Forks every instance and resolves when all are listening (rejects after `timeoutMs`). */
  start(timeoutMs: number): Promise<void> {
    for (const u of this.upstreams) this.spawn(u);
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        if (this.upstreams.every((u) => u.healthy)) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - t0 > timeoutMs) {
          clearInterval(poll);
          reject(new Error(`instances not ready after ${timeoutMs} ms`));
        }
      }, 20);
    });
  }

  private spawn(u: Upstream): void {
    const child = fork(this.opts.script, [], {
      env: { ...process.env, ...this.opts.env, SANDBOX_INSTANCE: u.name, SANDBOX_INSTANCE_PORT: String(u.port) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    u.child = child;
    u.pid = child.pid;
    u.startedAt = Date.now();
    child.send({ type: 'faults', set: this.faults } satisfies ToInstance);
    child.on('message', (m: FromInstance) => {
      if (m.type === 'ready') {
        u.healthy = !u.draining;
        this.opts.log.info('instance ready', { upstream: u.name, port: u.port, pid: child.pid });
      } else if (m.type === 'metrics') {
        this.pending.get(m.id)?.(m.data);
      }
    });
    child.on('exit', (code, signal) => {
      if (u.child !== child) return;
      u.healthy = false;
      u.child = undefined;
      if (this.stopping) return;
      if (u.retired) {
        this.upstreams.splice(this.upstreams.indexOf(u), 1);
        this.opts.log.info('instance removed', { upstream: u.name, pid: child.pid });
        return;
      }
      u.crashes = Date.now() - u.startedAt < 5000 ? u.crashes + 1 : 0;
      // Back off when an instance dies at once again and again (e.g. its port is taken), up to 5 s.
      const delay = Math.min(5000, 100 * 2 ** Math.min(u.crashes, 6));
      this.opts.log.warn('instance died', { upstream: u.name, pid: child.pid, code, signal, respawn_in_ms: delay });
      setTimeout(() => {
        // A scale-down may retire it while it waits here: it is out of the pool then, so no respawn.
        if (this.stopping || u.retired) return;
        u.restarts++;
        this.opts.onRestart?.(u.name);
        this.spawn(u);
      }, delay).unref();
    });
  }

  find(name: string): Upstream | undefined {
    return this.upstreams.find((u) => u.name === name);
  }

  private async until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) return false;
      await sleep(10);
    }
    return true;
  }

  /** Takes `u` out of rotation and waits for the requests it is serving to finish (the drain nginx lacks). */
  private async drain(u: Upstream): Promise<number> {
    const t0 = Date.now();
    u.draining = true;
    u.healthy = false;
    await this.until(() => u.inflight === 0, DRAIN_TIMEOUT_MS);
    return Date.now() - t0;
  }

  /** Stops `u` with `signal` and waits until its replacement is ready (the exit handler respawns it). */
  private async replace(u: Upstream, signal: NodeJS.Signals, action: 'restart' | 'kill', drainMs: number): Promise<ControlOutcome> {
    const old = u.child;
    const oldPid = old?.pid ?? null;
    const t0 = Date.now();
    if (old && old.exitCode === null) {
      const gone = new Promise<void>((r) => old.once('exit', () => r()));
      u.draining = false; // the replacement may take traffic as soon as it is ready
      old.kill(signal);
      await gone;
    } else u.draining = false;
    const ok = await this.until(() => u.healthy && u.child !== undefined && u.child !== old, READY_TIMEOUT_MS);
    if (!ok) throw new Error(`${u.name} was not ready again after ${READY_TIMEOUT_MS / 1000} s`);
    return { name: u.name, action, oldPid, newPid: u.pid ?? null, drainMs, readyMs: Date.now() - t0 };
  }

  /** A planned restart, as a deploy does it: drain, SIGTERM (the instance finishes what it serves), respawn. */
  async restart(name: string): Promise<ControlOutcome> {
    const u = this.find(name);
    if (!u) throw new Error(`no instance ${name}`);
    return this.replace(u, 'SIGTERM', 'restart', await this.drain(u));
  }

  /** A crash: SIGKILL with requests in flight, then the usual respawn. */
  async kill(name: string): Promise<ControlOutcome> {
    const u = this.find(name);
    if (!u) throw new Error(`no instance ${name}`);
    return this.replace(u, 'SIGKILL', 'kill', 0);
  }

  /** Grows (api-K+1 … on the next ports) or shrinks (drains and stops the highest-numbered) to `count`. */
  async scale(count: number): Promise<ControlOutcome[]> {
    const out: ControlOutcome[] = [];
    while (this.upstreams.filter((u) => !u.retired).length < count) {
      const u = this.fresh(Math.max(0, ...this.upstreams.map((x) => Number(x.name.slice(4)))) + 1);
      this.upstreams.push(u);
      const t0 = Date.now();
      this.spawn(u);
      if (!(await this.until(() => u.healthy, READY_TIMEOUT_MS))) throw new Error(`${u.name} was not ready after ${READY_TIMEOUT_MS / 1000} s`);
      out.push({ name: u.name, action: 'add', oldPid: null, newPid: u.pid ?? null, drainMs: 0, readyMs: Date.now() - t0 });
    }
    for (;;) {
      const live = this.upstreams.filter((x) => !x.retired);
      if (live.length <= count) break;
      const u = live.at(-1)!;
      const drainMs = await this.drain(u);
      u.retired = true;
      const oldPid = u.pid ?? null;
      const c = u.child;
      if (c && c.exitCode === null) {
        const gone = new Promise<void>((r) => c.once('exit', () => r()));
        c.kill('SIGTERM');
        await gone;
      } else this.upstreams.splice(this.upstreams.indexOf(u), 1);
      out.push({ name: u.name, action: 'remove', oldPid, newPid: null, drainMs, readyMs: 0 });
    }
    return out;
  }

  /** The next healthy instance, round-robin; undefined when none is. */
  next(exclude?: ReadonlySet<string>): Upstream | undefined {
    const n = this.upstreams.length;
    for (let i = 0; i < n; i++) {
      const u = this.upstreams[(this.rr + i) % n]!;
      if (u.healthy && !exclude?.has(u.name)) {
        this.rr = (this.rr + i + 1) % n;
        return u;
      }
    }
    return undefined;
  }

  /** A refused connection means the instance is gone: stop sending it traffic until it says ready again. */
  markDown(u: Upstream): void {
    u.healthy = false;
  }

  healthyCount(): number {
    return this.upstreams.filter((u) => u.healthy).length;
  }

  setFaults(f: FaultSet): void {
    this.faults = f;
    for (const u of this.upstreams) u.child?.connected && u.child.send({ type: 'faults', set: f } satisfies ToInstance);
  }

  getFaults(): FaultSet {
    return this.faults;
  }

  /** prom-client JSON of every live instance (an instance that does not answer in time is left out). */
  async scrape(timeoutMs = 2000): Promise<unknown[][]> {
    const live = this.upstreams.filter((u) => u.healthy && u.child?.connected);
    return Promise.all(
      live.map(
        (u) =>
          new Promise<unknown[]>((resolve) => {
            const id = ++this.nextId;
            const timer = setTimeout(() => (this.pending.delete(id), resolve([])), timeoutMs);
            this.pending.set(id, (data) => (clearTimeout(timer), this.pending.delete(id), resolve(data)));
            u.child!.send({ type: 'metrics', id } satisfies ToInstance);
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const alive = this.upstreams.map((u) => u.child).filter((c): c is ChildProcess => !!c && c.exitCode === null);
    await Promise.all(
      alive.map(
        (c) =>
          new Promise<void>((resolve) => {
            const kill = setTimeout(() => c.kill('SIGKILL'), 3000);
            c.once('exit', () => (clearTimeout(kill), resolve()));
            c.kill('SIGTERM');
          }),
      ),
    );
  }
}
