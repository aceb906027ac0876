// The bundled full stack (real nginx, PostgreSQL, Redis, Prometheus) as a Stack. Its actions are
// the deployment document's procedures, built on the component-level control (./control.ts): a crashed instance is
// brought back, and the replica is promoted when the primary fails.

import type { ServeOptions } from '../../../sandbox/options.js';
import type { ComponentRecord } from '../../../sandbox/full/stack.js';
import { HOST } from '../process.js';
import { readFullState } from '../state.js';
import type { RunningStack, Stack, StackAction } from '../stack.js';
import type { BudgetFlags } from './budget.js';
import { fullControl, type FullStackControl } from './control.js';
import { fullStackStatus, startFullStack, stopFullStack, type FullStatus } from './lifecycle.js';


/** A full stack this process started: a Stack, plus its component-level control and where its parts answer. */
export interface RunningFullStack extends RunningStack {
  readonly stack: 'full';
  https: string;
  prometheusUrl: string;
  components: FullStatus['components'];
  credentials: FullStatus['credentials'];
  control: FullStackControl;
  status(): Promise<FullStatus>;
}

const swapped = (old: number, c: ComponentRecord) => `${c.name} pid ${old} → ${c.pid}`;

/** The full stack recorded on `port` (its state file), or undefined when none was started there. */
export function fullStackAt(port: number): (Stack & { status(): Promise<FullStatus> }) | undefined {
  if (!readFullState(port)) return undefined;
  const control = fullControl(port);
  const pidOf = (name: string) => readFullState(port)?.components.find((c) => c.name === name)?.pid ?? 0;
  return {
    stack: 'full',
    url: `http://${HOST}:${port}`,
    port,
    status: async () => (await fullStackStatus(port))!,
    instances: async () => readFullState(port)?.components.filter((c) => c.role === 'api').map((c) => c.name) ?? [],
    cannot: () => undefined,
    async perform(a: StackAction): Promise<string> {
      switch (a.kind) {
        case 'restart': {
          const old = pidOf(a.instance);
          return `${swapped(old, await control.restart(a.instance))}, out of nginx's rotation meanwhile`;
        }
        case 'kill': {
          // The document's procedure for a failed instance is to start it again; control.kill alone leaves it down.
          const old = pidOf(a.instance);
          await control.kill(a.instance);
          return `${swapped(old, await control.restart(a.instance))} after a SIGKILL`;
        }
        case 'scale': {
          const from = readFullState(port)?.instances;
          await control.scale(a.count);
          return from === a.count ? `already ${a.count} instances` : `${from} → ${a.count} API instances, nginx and Prometheus reloaded`;
        }
        case 'promote-replica':
          // "Promote the replica when the master fails": the primary is stopped first, then the replica promoted.
          await control.kill('postgres-primary');
          await control.promoteReplica();
          return 'postgres-primary killed, postgres-replica promoted, API instances restarted on it';
        case 'failover':
          return `redis primary now on port ${await control.failoverRedis()}`;
      }
    },
    stop: async () => void (await stopFullStack(port)),
  };
}

export async function startFullSandbox(o: ServeOptions, extra: { workers?: number; poolSize?: number; budgets?: BudgetFlags; say?: (l: string) => void }): Promise<RunningFullStack> {
  const { state } = await startFullStack({
    port: o.port, instances: o.instances, workers: extra.workers, poolSize: extra.poolSize, dataDir: o.dataDir,
    seedScale: o.seedScale, seed: o.seed, limits: o.limits, tokenTtlS: o.tokenTtlS, budgets: extra.budgets, say: extra.say,
  });
  const status = (await fullStackStatus(o.port))!;
  return {
    ...fullStackAt(o.port)!,
    stack: 'full', https: status.https, prometheusUrl: status.prometheus,
    pid: state.components.find((c) => c.name === 'nginx')!.pid,
    components: status.components, credentials: status.credentials, control: fullControl(o.port),
  };
}
