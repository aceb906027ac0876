// Fault plans, parsed once before any load (pure): `--chaos <action>@<time>[,…]` texts and a plan file's `chaos`
// section become typed actions at times; `checkPlan` then holds them against the run's length and the target.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { LIMITS } from '../input-limits.js';
import { plain } from '../text-escape.js';
import { parseDurationS } from '../run/duration.js';
import type { ChaosStep } from './schema.js';

export type ChaosAction =
  | { readonly kind: 'rolling-restart'; readonly gapS: number }
  | { readonly kind: 'restart'; readonly instance: string }
  | { readonly kind: 'kill'; readonly instance: string }
  | { readonly kind: 'promote-replica' }
  | { readonly kind: 'failover'; readonly service: 'redis' }
  | { readonly kind: 'scale'; readonly count: number }
  | { readonly kind: 'exec'; readonly argv: readonly string[] };

export type ActionKind = ChaosAction['kind'];

export interface PlannedAction {
  /** Seconds after k6 starts. */
  readonly atS: number;
  readonly action: ChaosAction;
  /** As the user wrote it, for messages. */
  readonly source: string;
}

/** The default gap of a rolling restart: the deployment document's 30 s between api-1, api-2 and api-3. */
export const DEFAULT_GAP_S = 30;

const STARTS = /^(rolling-restart|restart:|kill:|promote-replica|failover:|scale:|exec:)/;
const VALID = 'rolling-restart, restart:api-N, kill:api-N, kill:object-storage, promote-replica, failover:redis, scale:N, exec:<command>';

/** Components besides API instances that kill: may name (a crash the stack restarts them from). */
export const KILLABLE_COMPONENTS = ['object-storage'] as const;

/** The action as the user wrote it, short and on one line: a 10 MB argument is not echoed back. */
function shown(source: string): string {
  const s = plain(source);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function bad(source: string, reason: string): never {
  throw new ConectaError(`chaos "${shown(source)}": ${reason}`, ExitCode.USAGE, `actions: ${VALID}`);
}

/** An exec argument vector k6's run can start: a command, no NUL byte (the OS would cut it there), bounded sizes. */
function checkArgv(words: readonly string[], source: string): void {
  if (words.length === 0 || words[0] === '') bad(source, 'exec needs a command');
  if (words.length > LIMITS.maxExecArgs) bad(source, `exec has ${words.length} arguments, more than ${LIMITS.maxExecArgs}`);
  for (const [i, w] of words.entries()) {
    if (w.includes('\u0000')) bad(source, `exec argument ${i} holds a NUL byte`);
    if (Buffer.byteLength(w) > LIMITS.maxExecArgBytes) bad(source, `exec argument ${i} is ${Buffer.byteLength(w)} bytes, more than ${LIMITS.maxExecArgBytes}`);
  }
}

function seconds(text: string | number, source: string, what: string): number {
  if (typeof text === 'number') return text;
  try {
    return parseDurationS(text);
  } catch {
    return bad(source, `${what} "${text}" is not a duration (e.g. 61s, 1m30s)`);
  }
}

/** One action text (without its time): "restart:api-2", "scale:5", "exec:docker compose restart api-1". */
export function parseAction(text: string, source: string, gapS: number, argv?: readonly string[]): ChaosAction {
  const t = text.trim();
  if (t === 'rolling-restart') return { kind: 'rolling-restart', gapS };
  if (t === 'promote-replica') return { kind: 'promote-replica' };
  if (t === 'failover:redis') return { kind: 'failover', service: 'redis' };
  let m = /^(restart|kill):(api-[1-9]\d*)$/.exec(t);
  if (m) return { kind: m[1] as 'restart' | 'kill', instance: m[2]! };
  m = /^kill:(.+)$/.exec(t);
  if (m && (KILLABLE_COMPONENTS as readonly string[]).includes(m[1]!)) return { kind: 'kill', instance: m[1]! };
  m = /^scale:(\d+)$/.exec(t);
  if (m) {
    const count = Number(m[1]);
    if (count < 1) bad(source, 'scale needs at least 1 instance');
    return { kind: 'scale', count };
  }
  if (t === 'exec' || t.startsWith('exec:')) {
    // Split on whitespace only: an argument vector, never a shell (no quoting, globbing or pipes).
    const words = argv ?? t.slice('exec:'.length).trim().split(/\s+/).filter((w) => w !== '');
    checkArgv(words, source);
    return { kind: 'exec', argv: [...words] };
  }
  if (/^kill:/.test(t)) bad(source, `kill: names api-N (e.g. api-2) or ${KILLABLE_COMPONENTS.join(', ')}`);
  if (/^restart:/.test(t)) bad(source, `instance must be api-N (e.g. api-2)`);
  if (t.startsWith('failover:')) bad(source, `only failover:redis is known`);
  return bad(source, `unknown action "${t}"`);
}

/** Splits one `--chaos` value at the commas that start a new action (an exec command may hold commas of its own). */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  for (const piece of value.split(',')) {
    if (parts.length === 0 || STARTS.test(piece.trim())) parts.push(piece);
    else parts[parts.length - 1] += `,${piece}`;
  }
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `--chaos` values (repeatable, comma lists) → actions. */
export function parseChaosFlags(values: readonly string[], gapS = DEFAULT_GAP_S): PlannedAction[] {
  return values.flatMap(splitList).map((item) => {
    const at = item.lastIndexOf('@');
    if (at < 0) bad(item, 'missing "@<time>" (e.g. restart:api-2@61s)');
    return { atS: seconds(item.slice(at + 1), item, 'time'), action: parseAction(item.slice(0, at), item, gapS), source: item };
  });
}

/** A plan file's `chaos` steps (already schema-checked) → actions. */
export function parsePlanSteps(steps: readonly ChaosStep[], file: string, gapS = DEFAULT_GAP_S): PlannedAction[] {
  return steps.map((s, i) => {
    const source = `${file}: chaos.${i}`;
    const gap = s.gap === undefined ? gapS : seconds(s.gap, source, 'gap');
    if (s.argv && s.action !== 'exec') bad(source, 'argv is only for the exec action');
    return { atS: seconds(s.at, source, 'at'), action: parseAction(s.action, source, gap, s.argv), source };
  });
}

/** What the plan's target can do, as `checkPlan` needs it. */
export interface Capabilities {
  /** Names the target in messages: "the embedded sandbox at http://…". */
  readonly description: string;
  /** Why the target cannot take this kind of action; undefined when it can. */
  cannot(kind: ActionKind): string | undefined;
  /** API instances it has now (checked against restart:/kill: and rolling-restart). */
  readonly instances: readonly string[];
  /** Other components kill: may name that it runs now (the object store); absent: none. */
  readonly components?: readonly string[];
}

/** Seconds a planned action spans from its start (a rolling restart: one gap per instance after the first). */
export function spanS(p: PlannedAction, instances: number): number {
  return p.action.kind === 'rolling-restart' ? p.action.gapS * Math.max(0, instances - 1) : 0;
}

/** Holds the whole plan against the run's length and the target; the first problem is a one-line usage error. */
export function checkPlan(plan: readonly PlannedAction[], runS: number, target: Capabilities): void {
  for (const p of plan) {
    if (!(p.atS >= 0)) bad(p.source, 'time must be 0 s or later');
    const why = target.cannot(p.action.kind);
    if (why) bad(p.source, `${target.description} cannot ${p.action.kind}: ${why}`);
    if ((p.action.kind === 'restart' || p.action.kind === 'kill') && !target.instances.includes(p.action.instance)
      && !(p.action.kind === 'kill' && target.components?.includes(p.action.instance))) {
      const has = [...target.instances, ...(target.components ?? [])];
      bad(p.source, `${target.description} has no ${p.action.instance} (it has ${has.join(', ') || 'none'})`);
    }
    if (p.action.kind === 'rolling-restart' && !(p.action.gapS > 0)) bad(p.source, 'gap must be positive');
    const last = p.atS + spanS(p, target.instances.length);
    if (last >= runS) {
      bad(p.source, `${p.action.kind === 'rolling-restart' ? `its last restart (${last} s)` : `${p.atS} s`} is past the run's end at ${runS} s`);
    }
  }
}
