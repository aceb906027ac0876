// The full stack's component-level control (the one control type; the Stack's actions in ./index.ts are built on
// it): restart or SIGKILL one component, change the API instance count (nginx reload, no dropped requests), promote
// the PostgreSQL replica, fail Redis over through the sentinel. Every call works from the state file alone, so any
// process (a test, the CLI) can drive a stack another one started.

import { portOf } from '../../../sandbox/full/layout.js';
import { promote } from '../../../sandbox/full/postgres.js';
import { failoverAndWait } from '../../../sandbox/full/redis.js';
import { drainInNginx, reconfigure, recordPids, startComponent, stopComponents, type ComponentRecord, type StackContext } from '../../../sandbox/full/stack.js';
import { MAX_INSTANCES } from '../../../sandbox/full/layout.js';
import { ConectaError, ExitCode } from '../../exit-codes.js';
import { alive, killGroup, sleep, stopPid } from '../process.js';
import { readFullState, writeFullState } from '../state.js';
import type { FullStackState } from './schema.js';
import { checkPoolBudget, readSecrets } from './lifecycle.js';
import { planBudgets } from './budget.js';
import { groupsFor } from './groups.js';

export interface FullStackControl {
  /** Stops `name` gracefully (if it runs) and starts it again with the stack's settings; resolves when ready. */
  restart(name: string): Promise<ComponentRecord>;
  /** SIGKILL to `name`'s process group (a crash); the component stays down until restart(). */
  kill(name: string): Promise<void>;
  /** api-1..api-n: starts the missing, drains and stops the extra, reloads nginx and Prometheus. */
  scale(instances: number): Promise<void>;
  /** Promotes postgres-replica to a primary that accepts writes (pg_promote), then points every API instance at it
   *  (a rolling restart through nginx's rotation), as the document's procedure does. */
  promoteReplica(): Promise<void>;
  /** Asks the sentinel to fail over; resolves with the new primary's port once the sentinel names it. */
  failoverRedis(timeoutMs?: number): Promise<number>;
}

function load(port: number): { st: FullStackState; ctx: StackContext } {
  const st = readFullState(port);
  const secrets = st && readSecrets(st.root);
  if (!st || !secrets) throw new ConectaError(`no full stack started by conecta-load on port ${port}`, ExitCode.SANDBOX);
  // A restarted or added component starts in its group with the stack's budget again.
  return { st, ctx: { root: st.root, o: st.options, secrets, instances: st.instances, objectStorage: st.components.some((c) => c.role === 'storage'), groupOf: groupsFor(port, st.budget) } };
}

function save(st: FullStackState): void {
  writeFullState(st);
  recordPids(st.root, st.components);
}

function find(st: FullStackState, name: string): ComponentRecord {
  const c = st.components.find((x) => x.name === name);
  if (!c) throw new ConectaError(`no component "${name}" in the stack on port ${st.port} (${st.components.map((x) => x.name).join(', ')})`, ExitCode.USAGE);
  return c;
}

function replace(st: FullStackState, c: ComponentRecord): void {
  const i = st.components.findIndex((x) => x.name === c.name);
  if (i >= 0) st.components[i] = c;
  else st.components.push(c);
}

export function fullControl(port: number): FullStackControl {
  const control: FullStackControl = {
    async restart(name) {
      const { st, ctx } = load(port);
      const old = find(st, name);
      const api = old.role === 'api' ? Number(name.slice(4)) : undefined;
      const nginx = st.components.find((c) => c.name === 'nginx');
      // An API instance leaves nginx's rotation first (reload: old workers finish their requests), so a rolling
      // restart drops nothing, not even a POST on a reused upstream connection; it returns once healthy.
      const inRotation = api !== undefined && nginx !== undefined && alive(nginx.pid);
      if (inRotation) {
        drainInNginx(st.root, st.options, st.instances, nginx.pid, api);
        await sleep(500);
      }
      await stopComponents([old]);
      const c = await startComponent(ctx, name);
      if (inRotation) drainInNginx(st.root, st.options, st.instances, nginx.pid, undefined);
      replace(st, c);
      save(st);
      return c;
    },
    async kill(name) {
      const { st } = load(port);
      await killGroup(find(st, name).pid);
    },
    async scale(n) {
      if (!Number.isInteger(n) || n < 1 || n > MAX_INSTANCES) throw new ConectaError(`--instances must be an integer from 1 to ${MAX_INSTANCES}, got "${n}"`, ExitCode.USAGE);
      const { st, ctx } = load(port);
      checkPoolBudget(n, st.options.poolSize);
      planBudgets({ cpu: st.budget.plan.cpu, mem: st.budget.plan.mem }, st.budget.plan.cores, n);
      const nginx = find(st, 'nginx');
      const prom = find(st, 'prometheus');
      const from = st.instances;
      if (n > from) {
        // New instances are healthy before nginx hears of them; nginx's reload then keeps serving throughout.
        const added = await Promise.all(Array.from({ length: n - from }, (_, k) => startComponent(ctx, `api-${from + k + 1}`)));
        st.components.push(...added);
        st.instances = n;
        save(st);
        await reconfigure(st.root, st.options, n, nginx.pid, prom.url!, ctx.objectStorage);
      } else if (n < from) {
        // nginx first forgets the extra instances (old workers finish their requests), then they drain and stop.
        st.instances = n;
        await reconfigure(st.root, st.options, n, nginx.pid, prom.url!, ctx.objectStorage);
        await sleep(1000);
        const extra = st.components.filter((c) => c.role === 'api' && Number(c.name.slice(4)) > n);
        await Promise.all(extra.map((c) => stopPid(c.pid, 'SIGTERM', 12_000)));
        st.components = st.components.filter((c) => !extra.includes(c));
        save(st);
      }
    },
    async promoteReplica() {
      const { st, ctx } = load(port);
      find(st, 'postgres-replica');
      promote({ port: portOf(port, 'postgres-replica'), password: ctx.secrets.pgPassword });
      st.options.promoted = true;
      save(st);
      // Each API instance is restarted on the new primary in turn; the others keep serving reads meanwhile.
      for (const api of st.components.filter((c) => c.role === 'api').map((c) => c.name)) await control.restart(api);
    },
    async failoverRedis(timeoutMs = 30_000) {
      const { ctx } = load(port);
      const { before, after } = await failoverAndWait({ port: portOf(port, 'redis-sentinel'), password: ctx.secrets.redisPassword }, timeoutMs);
      if (after !== undefined) return after;
      throw new ConectaError(`redis failover: the sentinel still names port ${before} after ${timeoutMs / 1000} s`, ExitCode.SANDBOX);
    },
  };
  return control;
}
