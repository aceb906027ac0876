// The full stack (nginx, API instances on PostgreSQL primary+replica, Redis+sentinel; lib/sandbox/full, issue 11)
// as a fault-plan target. Its control surface is taken as this small interface, so the adapter does not depend
// on how that control is reached; `fullStackTarget(url)` finds it for a running stack.

import { ConectaError, ExitCode } from '../exit-codes.js';
import type { ChaosTarget, StepResult, TargetAction } from './target.js';

/** The full stack's control, as lib/sandbox/full/control.ts plans it. */
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

/** The full stack's control for a running stack at `url`; until issue 11 lands there is none to find. */
export async function fullStackTarget(url: string): Promise<ChaosTarget> {
  throw new ConectaError(`--chaos-target full: no full-stack control found for ${url}`, ExitCode.USAGE,
    'start it with startSandbox({ stack: "full" }) (lib/sandbox/full)');
}
