// Resolves which targets apply to a group (overall or one endpoint) under a profile: top-level targets, then the
// profile's, then every matching endpoint rule in file order (later wins, metric by metric).

import type { Objective, ObjectiveSet, Thresholds } from './load.js';
import type { MetricKey } from './schema.js';

export interface GroupTargets {
  readonly minSamples: number;
  readonly objectives: readonly Objective[];
  /**
   * True for the whole run and for endpoints a rule in thresholds.json names: too few samples there makes the
   * run inconclusive. An endpoint judged only by inherited targets is judged when it has the samples, and
   * otherwise only reported (a rare write path must not make every run inconclusive).
   */
  readonly named: boolean;
  /** The sequential gate acts on this group's decisions: the whole run always, an endpoint when a matching rule
   *  says `"gating": true` (otherwise its decisions are advisory). */
  readonly gating: boolean;
}

function apply(into: ObjectiveSet, over: ObjectiveSet): void {
  for (const [k, v] of Object.entries(over) as [MetricKey, Objective | null][]) into[k] = v;
}

function listOf(set: ObjectiveSet): Objective[] {
  return Object.values(set).filter((o): o is Objective => o !== null && o !== undefined);
}

/** The targets for the whole run under `profile`. */
export function overallTargets(t: Thresholds, profile: string): GroupTargets {
  const set: ObjectiveSet = { ...t.targets };
  let minSamples = t.minSamples;
  for (const p of t.profiles) {
    if (!p.regex.test(profile)) continue;
    apply(set, p.targets);
    if (p.minSamples !== undefined) minSamples = p.minSamples;
  }
  return { minSamples, objectives: listOf(set), named: true, gating: true };
}

/**
 * The targets for one endpoint: the overall ones (a throughput floor is for the whole run, so it is dropped unless
 * an endpoint rule sets one), overridden by matching endpoint rules. Empty when endpoints are not judged and no
 * rule names this endpoint.
 */
export function endpointTargets(t: Thresholds, profile: string, endpoint: string): GroupTargets {
  const overall = overallTargets(t, profile);
  const set: ObjectiveSet = {};
  for (const o of overall.objectives) if (o.metric !== 'throughput') set[o.metric] = o;
  let minSamples = overall.minSamples;
  const rules = [...t.endpoints, ...t.profiles.filter((p) => p.regex.test(profile)).flatMap((p) => p.endpoints)];
  let named = false;
  let gating = false;
  for (const r of rules) {
    if (!r.regex.test(endpoint)) continue;
    named = true;
    if (r.gating !== undefined) gating = r.gating;
    apply(set, r.targets);
    if (r.minSamples !== undefined) minSamples = r.minSamples;
  }
  if (!t.judgeEndpoints && !named) return { minSamples, objectives: [], named, gating };
  return { minSamples, objectives: listOf(set), named, gating };
}
