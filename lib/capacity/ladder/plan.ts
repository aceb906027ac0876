// The ladder planner (pure): which level comes next — reuse a finished one kept from an earlier run, measure (one
// k6 run: several levels as a staircase, or one level alone), or stop — and the rules it decides by: when a kept
// level may be reused, and when the load doubles once more.

import type { Level } from '../schema.js';

export type LadderMode = 'staircase' | 'per-level';

/** The default strategy: the requested levels as one staircase run (users log in once). */
export const DEFAULT_MODE: LadderMode = 'staircase';

export interface LadderPlanInput {
  /** Requested user counts, ascending, distinct. */
  requested: readonly number[];
  /** Doubled levels allowed after the requested ones while the targets hold. */
  maxExtra: number;
  mode: LadderMode;
  /** Whether a finished level of this many users was kept and may be reused (see `reusable`). */
  kept: (users: number) => boolean;
  /** Levels finished so far, in ladder order. */
  done: readonly Pick<Level, 'users' | 'verdict'>[];
}

export type LadderStep =
  | { kind: 'reuse'; users: number }
  /** One k6 run: `staircase` steps through `users` in one run; `per-level` runs its one level alone. */
  | { kind: 'measure'; users: readonly number[]; strategy: LadderMode }
  | { kind: 'stop' };

export function nextStep(p: LadderPlanInput): LadderStep {
  const done = new Set(p.done.map((l) => l.users));
  const left = p.requested.filter((u) => !done.has(u));
  if (left.length > 0) {
    if (p.mode === 'per-level') return p.kept(left[0]!) ? { kind: 'reuse', users: left[0]! } : { kind: 'measure', users: [left[0]!], strategy: 'per-level' };
    // A staircase is kept only whole: one missing level means the whole staircase runs again (its levels share one run).
    if (p.requested.every(p.kept)) return { kind: 'reuse', users: left[0]! };
    return { kind: 'measure', users: left, strategy: 'staircase' };
  }
  // Past the requested levels: double the load while the last level held its targets, one level a run.
  const extras = p.done.length - p.requested.length;
  const last = p.done[p.done.length - 1];
  if (extras >= p.maxExtra || last === undefined || !last.verdict.steady.withinTargets) return { kind: 'stop' };
  const next = last.users * 2;
  return p.kept(next) ? { kind: 'reuse', users: next } : { kind: 'measure', users: [next], strategy: 'per-level' };
}

/** What a kept level must match to stand for a level of this ladder. */
export interface ReuseKey {
  scenario: string;
  scale: number;
  /** The steady seconds asked (null: the profile's own); run until decided, the longest a plateau may last. */
  steadyS: number | null;
  /** Levels run until decided (default false): a kept level stands for one only when it was run so too. */
  untilDecided?: boolean;
}

/**
 * A kept level is reused when it finished and was measured the same way (scenario, scale, steady seconds, and run
 * until decided or for a fixed time: only a level run until decided records why it ended).
 */
export function reusable(
  kept: { scenario: string; steadyS: number | null; level: Pick<Level, 'complete' | 'scale' | 'endedBy'> } | null,
  want: ReuseKey,
): boolean {
  return kept !== null && kept.level.complete && kept.level.scale === want.scale && kept.scenario === want.scenario &&
    kept.steadyS === want.steadyS && (kept.level.endedBy !== undefined) === (want.untilDecided ?? false);
}

/** The progress line for a finished level (run until decided: why it ended, and when it was decided). */
export function levelLine(l: Level): string {
  const ended = l.endedBy === undefined ? '' : `, ended: ${l.endedBy}${l.decidedAtS != null ? ` at ${l.decidedAtS} s` : ''}`;
  return `level ${l.users}: ${l.vus} VUs, ${l.throughputRps.toFixed(1)} rps, P95 ${l.latencyMs.p95.toFixed(0)} ms, ` +
    `errors ${(l.errorRate * 100).toFixed(2)}%, 429s ${l.rateLimited ?? 0} — ` +
    `${l.verdict.steady.withinTargets ? 'within targets' : 'targets broken'} (gate ${l.verdict.run.verdict}${ended})`;
}
