// What a fault plan acts on: a small interface each stack implements (the embedded sandbox, the full stack, or
// none — a user's own stack, where only exec: applies). A bundled stack's actions are the Stack's own
// (lib/sandbox/stack.ts); `stackTarget` turns one into a target.

import type { Stack, StackAction } from '../sandbox/index.js';
import type { Capabilities, ChaosAction } from './plan.js';

/** What the command of an exec: action did (its output trimmed to the last few KB). */
export interface ExecRecord {
  readonly argv: string[];
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it could not run at all (ENOENT, timeout), when it could not. */
  readonly error?: string;
}

export interface StepResult {
  readonly ok: boolean;
  /** One line: what the target did ("api-2 pid 123 → 456, drained in 3 ms, ready in 310 ms") or why it failed. */
  readonly detail: string;
  readonly exec?: ExecRecord;
}

/** An action the target itself performs (exec: is run by the plan's runner, for any target): a stack's action. */
export type TargetAction = StackAction;
// The plan's actions less exec: and rolling-restart are exactly the stack's: a new one must be added to both.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameActions: Same<Exclude<ChaosAction, { kind: 'exec' } | { kind: 'rolling-restart' }>, StackAction> = true;
void sameActions;

export interface ChaosTarget extends Capabilities {
  /** "embedded", "full" or "none". */
  readonly kind: string;
  perform(action: TargetAction): Promise<StepResult>;
}

/** A bundled stack as a fault-plan target, with the API instances it has now. */
export function stackTarget(stack: Stack, instances: readonly string[], description: string, components: readonly string[] = []): ChaosTarget {
  return {
    kind: stack.stack,
    description,
    instances,
    components,
    cannot: (kind) => (kind === 'exec' || kind === 'rolling-restart' ? undefined : stack.cannot(kind)),
    async perform(a) {
      try {
        return { ok: true, detail: await stack.perform(a) };
      } catch (e) {
        return { ok: false, detail: (e as Error).message.split('\n')[0]! };
      }
    },
  };
}

/** A target with no control of its own: only exec: actions (the user's own commands) apply. */
export function noControlTarget(url: string): ChaosTarget {
  return {
    kind: 'none',
    description: `the target ${url}`,
    instances: [],
    cannot: (k) => (k === 'exec' ? undefined : 'it offers no control (not the bundled sandbox); use exec:<command>'),
    perform: async (a) => ({ ok: false, detail: `${a.kind}: no control` }),
  };
}
