// Which criteria of thresholds.json a confidence sequence judges, each as a share: "p95 < 300 ms" is "the share of
// requests at or above 300 ms is below 5 %", "errorRate < 0.1 %" is "the share of failed requests is below 0.1 %".
// Also the pure check of `--until-decided`'s options, so a bad combination fails before any load.

import { ConectaError, ExitCode } from '../../exit-codes.js';
import { familyOf, percentileOf, type Criterion } from '../../thresholds/criteria.js';
import type { Objective, Thresholds } from '../../thresholds/load.js';
import { endpointTargets, overallTargets } from '../../thresholds/resolve.js';
import type { MetricKey } from '../../thresholds/schema.js';
import { formatCriterion } from '../format.js';
import { OVERALL } from '../groups.js';

export interface SequentialCriterion {
  /** "overall p95 < 300 ms": unique within a run's set. */
  readonly id: string;
  /** "overall" or an endpoint's name tag. */
  readonly group: string;
  readonly metric: MetricKey;
  /** The share the criterion's limit stands for: 0.05 for p95, the rate itself for an error rate. */
  readonly share: number;
  /** The criterion holds when the true share is below `share` (`<`, `<=` on latency and rates), or above it. */
  readonly passWhen: 'below' | 'above';
  /** Latency criteria: a request counts as an event when it took this long or longer (`atOrAbove`) or longer. */
  readonly thresholdMs?: number;
  readonly atOrAbove?: boolean;
  /** Its decision stops the run and sets the verdict; otherwise it is reported only (advisory). */
  readonly gating: boolean;
}

/** Why the sequence cannot judge a criterion, or undefined when it can. */
export function unjudgeable(metric: MetricKey, c: Criterion): string | undefined {
  if (familyOf(metric) === 'throughput') return 'throughput is a rate of requests, not a share of them';
  if (c.kind !== 'absolute') return 'a criterion relative to a baseline is judged against it at the end of the run';
  if (familyOf(metric) === 'latency' && percentileOf(metric) === undefined) return 'not a percentile';
  return undefined;
}

function toShare(group: string, o: Objective, c: Criterion, gating: boolean): SequentialCriterion {
  const below = c.op === '<' || c.op === '<=';
  const unit = familyOf(o.metric) === 'latency' ? 'ms' : 'ratio';
  const base = { id: `${group} ${o.metric} ${formatCriterion(c, unit)}`, group, metric: o.metric, passWhen: below ? 'below' : 'above', gating } as const;
  const p = percentileOf(o.metric);
  if (p !== undefined) {
    // pX < T ⇔ fewer than (100 − X) % of requests take T or longer; pX <= T ⇔ fewer take longer than T.
    const share = Number((1 - p / 100).toPrecision(12));
    return { ...base, share, thresholdMs: c.value, atOrAbove: c.op === '<' || c.op === '>=' };
  }
  return { ...base, share: c.value };
}

function sharesOf(group: string, objectives: readonly Objective[], gating: boolean): SequentialCriterion[] {
  return objectives.flatMap((o) => o.pass.filter((c) => unjudgeable(o.metric, c) === undefined).map((c) => toShare(group, o, c, gating)));
}

/** The sequence's criteria for the whole run and each endpoint: the run's are gating; an endpoint's only when a
 *  rule in thresholds.json marks it `"gating": true`. */
export function sequentialCriteria(t: Thresholds, profile: string, endpoints: readonly string[]): SequentialCriterion[] {
  const out = sharesOf(OVERALL, overallTargets(t, profile).objectives, true);
  for (const e of endpoints) {
    const targets = endpointTargets(t, profile, e);
    out.push(...sharesOf(e, targets.objectives, targets.gating));
  }
  return out;
}

/** Every criterion a run could be judged on that the sequence cannot judge: the whole run's, and each endpoint rule's. */
export function unjudgeableCriteria(t: Thresholds, profile: string): string[] {
  const scopes: [string, readonly Objective[]][] = [[OVERALL, overallTargets(t, profile).objectives]];
  for (const r of [...t.endpoints, ...t.profiles.filter((p) => p.regex.test(profile)).flatMap((p) => p.endpoints)]) {
    scopes.push([r.glob, Object.values(r.targets).filter((o): o is Objective => !!o)]);
  }
  const out: string[] = [];
  for (const [scope, objectives] of scopes) {
    for (const o of objectives) {
      for (const c of o.pass) {
        const why = unjudgeable(o.metric, c);
        if (why) out.push(`${scope} ${o.metric} "${c.text}": ${why}`);
      }
    }
  }
  return out;
}

export interface SequentialOptions {
  readonly gate?: boolean;
  readonly untilDecided?: boolean;
  /** --min-duration and --max-duration, in seconds. */
  readonly minS?: number;
  readonly maxS?: number;
}

/** Throws ConectaError(USAGE) for options `run --gate --until-decided` cannot run with; `unjudgeableFound` is what
 *  `unjudgeableCriteria` found in the thresholds in force. */
export function validateSequentialOptions(o: SequentialOptions, unjudgeableFound: readonly string[]): void {
  if (o.untilDecided && !o.gate) throw new ConectaError('--until-decided needs --gate: it stops the run when the gate has decided', ExitCode.USAGE);
  for (const [name, v] of [['--min-duration', o.minS], ['--max-duration', o.maxS]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ConectaError(`${name} must be a positive duration, got ${v}`, ExitCode.USAGE);
  }
  if (o.minS !== undefined && o.maxS !== undefined && o.maxS < o.minS) {
    throw new ConectaError(`--max-duration (${o.maxS} s) is below --min-duration (${o.minS} s)`, ExitCode.USAGE);
  }
  if (o.untilDecided) assertJudgeable(unjudgeableFound);
}

/** Throws ConectaError(USAGE) naming the first criterion the sequence cannot judge (`gate --sequential` too). */
export function assertJudgeable(unjudgeableFound: readonly string[]): void {
  if (unjudgeableFound.length === 0) return;
  const more = unjudgeableFound.length > 1 ? ` (and ${unjudgeableFound.length - 1} more)` : '';
  throw new ConectaError(
    `the sequential gate cannot judge ${unjudgeableFound[0]}${more}`,
    ExitCode.USAGE,
    'remove that criterion, or judge the run at its end without the sequential gate',
  );
}
