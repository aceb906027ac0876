// What a fault plan acts on: a small interface each stack implements (the embedded sandbox, the full stack, or
// none — a user's own stack, where only exec: applies). Side effects live in the implementations.

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

/** An action the target itself performs (exec: is run by the plan's runner, for any target). */
export type TargetAction = Exclude<ChaosAction, { kind: 'exec' } | { kind: 'rolling-restart' }>;

export interface ChaosTarget extends Capabilities {
  /** "embedded", "full" or "none". */
  readonly kind: string;
  perform(action: TargetAction): Promise<StepResult>;
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
