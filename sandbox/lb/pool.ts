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
}

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
    this.upstreams = Array.from({ length: opts.count }, (_, i) => ({
      name: `api-${i + 1}`, port: opts.basePort + i + 1, healthy: false, restarts: 0, crashes: 0, startedAt: 0,
    }));
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
        u.healthy = true;
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
      u.crashes = Date.now() - u.startedAt < 5000 ? u.crashes + 1 : 0;
      // Back off when an instance dies at once again and again (e.g. its port is taken), up to 5 s.
      const delay = Math.min(5000, 100 * 2 ** Math.min(u.crashes, 6));
      this.opts.log.warn('instance died', { upstream: u.name, pid: child.pid, code, signal, respawn_in_ms: delay });
      setTimeout(() => {
        if (this.stopping) return;
        u.restarts++;
        this.opts.onRestart?.(u.name);
        this.spawn(u);
      }, delay).unref();
    });
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
