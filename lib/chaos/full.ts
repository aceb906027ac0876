// The full stack (nginx, API instances on PostgreSQL primary+replica, Redis+sentinel; started by lib/sandbox/full)
// as a fault-plan target. Its control surface is taken as this small interface, so the adapter does not depend
// on how that control is reached; `fullStackTarget(url)` finds it for a running stack.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { fullControl, readFullState } from '../sandbox/full/index.js';
import type { ChaosTarget, StepResult, TargetAction } from './target.js';

/** The full stack's control as this adapter uses it (lib/sandbox/full/control.ts, plus the instances now). */
export interface FullStackControl {
  restart(name: string): Promise<unknown>;
  kill(name: string): Promise<unknown>;
  scale(n: number): Promise<unknown>;
  promoteReplica(): Promise<unknown>;
  failoverRedis(): Promise<unknown>;
  /** API instance names now (api-1 …). */
  instances(): Promise<readonly string[]> | readonly string[];
}

const brief = (v: unknown): string => {
  if (v === undefined || v === null) return 'done';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

export function fullTargetFrom(control: FullStackControl, instances: readonly string[], url: string): ChaosTarget {
  const act = async (f: () => Promise<unknown>): Promise<StepResult> => {
    try {
      return { ok: true, detail: brief(await f()) };
    } catch (e) {
      return { ok: false, detail: (e as Error).message.split('\n')[0]! };
    }
  };
  return {
    kind: 'full',
    description: `the full stack at ${url}`,
    instances,
    cannot: () => undefined,
    perform(a: TargetAction): Promise<StepResult> {
      switch (a.kind) {
        case 'restart':
          return act(() => control.restart(a.instance));
        case 'kill':
          return act(() => control.kill(a.instance));
        case 'scale':
          return act(() => control.scale(a.count));
        case 'promote-replica':
          return act(() => control.promoteReplica());
        case 'failover':
          return act(() => control.failoverRedis());
      }
    },
  };
}

function portOf(url: string): number {
  const u = new URL(url);
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

/** The full stack started by conecta-load behind `url`, if there is one (its state file names the port). */
export async function findFullStack(url: string): Promise<ChaosTarget | undefined> {
  const port = portOf(url);
  const st = readFullState(port);
  if (!st) return undefined;
  const control = fullControl(port);
  const instances = st.components.filter((c) => c.role === 'api').map((c) => c.name);
  return fullTargetFrom({
    ...control,
    // The document's procedure for a failed instance is to restart it; the full stack leaves a killed one down.
    kill: async (name) => {
      await control.kill(name);
      return control.restart(name);
    },
    // "Promote the replica when the master fails": the primary is stopped first, then the replica promoted.
    promoteReplica: async () => {
      await control.kill('postgres-primary');
      return control.promoteReplica();
    },
    instances: () => instances,
  }, instances, url);
}

/** The full stack's control for a running stack at `url` (`--chaos-target full`). */
export async function fullStackTarget(url: string): Promise<ChaosTarget> {
  const t = await findFullStack(url);
  if (t) return t;
  throw new ConectaError(`--chaos-target full: no full stack started by conecta-load answers for ${url}`, ExitCode.USAGE,
    'start it with: conecta-load sandbox up --stack full');
}
