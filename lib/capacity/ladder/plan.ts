// The ladder planner (pure): which level comes next — reuse a finished one kept from an earlier run, measure (one
// k6 run: several levels as a staircase, or one level alone), or stop — and the rules it decides by: when a kept
// level may be reused, when the load doubles once more, and (with a search) which level splits the bracket between
// the highest level held and the lowest broken until the breaking point is known to ±10 %, or, when even the lowest
// level broke, how far the load halves to find one that holds.

import { bracket } from '../breaking-point.js';
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
  /** Search the breaking point once a level broke (see `SearchPlan`); absent: stop at the first broken level. */
  search?: SearchPlan;
}

/** How the search between the last held and the first broken level goes on, and when it stops. */
export interface SearchPlan {
  /** Stop when the bracket [held, broken] is within ± this of its middle: (broken − held) ≤ tolerance × (broken + held). */
  tolerance: number;
  /** VUs a level of this many users runs (two levels of the same VUs measure the same thing: the search stops). */
  vusOf: (users: number) => number;
  /** Whether one more level of this many users fits in what is left of the load-time budget. */
  fits: (users: number) => boolean;
}

/** ±10 %: what "capacity known" means for `capacity run --search`. */
export const SEARCH_TOLERANCE = 0.1;

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
  const one = (users: number): LadderStep => (p.kept(users) ? { kind: 'reuse', users } : { kind: 'measure', users: [users], strategy: 'per-level' });
  const b = bracket(p.done);
  if (p.search && b.broken !== null) {
    // A level broke: split the bracket (geometrically: the ratio halves in log space, so 2× becomes ±10 % in two
    // levels) until it is tight, the split would repeat a level's VUs, or the next level does not fit the budget.
    if (b.held === null) {
      // Nothing held, not even the lowest level: halve it until a level holds (the doubling's mirror), and the
      // bracket is then split as above. A budget too small for the first requested level gets a capacity, not
      // "below the lowest level measured".
      const half = Math.round(b.broken / 2);
      const vus = p.search.vusOf(half);
      if (half < 1 || vus < 1 || vus === p.search.vusOf(b.broken) || !p.search.fits(half)) return { kind: 'stop' };
      return one(half);
    }
    if (b.broken - b.held <= p.search.tolerance * (b.broken + b.held)) return { kind: 'stop' };
    const mid = splitPoint(b.held, b.broken);
    const vus = p.search.vusOf(mid);
    if (vus === p.search.vusOf(b.held) || vus === p.search.vusOf(b.broken) || !p.search.fits(mid)) return { kind: 'stop' };
    return one(mid);
  }
  // Past the requested levels: double the load while the last level held its targets, one level a run.
  const extras = p.done.length - p.requested.length;
  const last = p.done[p.done.length - 1];
  if (extras >= p.maxExtra || last === undefined || !last.verdict.steady.withinTargets) return { kind: 'stop' };
  const next = last.users * 2;
  if (p.search && !p.search.fits(next)) return { kind: 'stop' };
  return one(next);
}

/**
 * The next level between `held` and `broken`: their geometric mean, rounded to two significant digits when that
 * stays strictly inside the bracket (2 800 rather than 2 828: levels a reader can name), else to a whole user.
 */
export function splitPoint(held: number, broken: number): number {
  const g = Math.sqrt(held * broken);
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(g)) - 1);
  const nice = Math.round(g / unit) * unit;
  return nice > held && nice < broken ? nice : Math.round(g);
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
