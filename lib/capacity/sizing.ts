// Sizing rules, pure: Little's law for busy DB connections, the instance count for a throughput, the
// extrapolation flag, and the verdict on one asserted cell of a capacity table.

import type { CellVerdict, Estimate } from './schema.js';

/** Beyond this multiple of the largest measured level a prediction is flagged as extrapolated. */
export const EXTRAPOLATION_FACTOR = 2;

export function isExtrapolated(x: number, largestMeasured: number): boolean {
  return x > EXTRAPOLATION_FACTOR * largestMeasured;
}

/** Little's law L = λ·W: connections busy on average = query rate × mean time a query holds one. */
export function littlesLaw(queryRatePerS: number, meanHoldS: number): number {
  return queryRatePerS * meanHoldS;
}

export interface InstanceRule {
  /** Throughput one instance sustains within the latency target. */
  perInstanceRps: number;
  /** Plan each instance to this fraction of that throughput (0.7). */
  targetUtilisation: number;
  /** Spare instances (1 = N+1). */
  redundancy: number;
}

/** Instances = ceil(needed / (per-instance × utilisation)) + redundancy; at least 1 + redundancy. */
export function instancesFor(neededRps: number, rule: InstanceRule): number {
  if (!(rule.perInstanceRps > 0)) throw new RangeError('per-instance throughput must be > 0');
  const busy = Math.ceil(neededRps / (rule.perInstanceRps * rule.targetUtilisation) - 1e-9);
  return Math.max(1, busy) + rule.redundancy;
}

/** Applies a monotone non-decreasing function to an estimate, keeping low ≤ value ≤ high. */
export function mapEstimate(e: Estimate, f: (v: number) => number): Estimate {
  const a = f(e.low), b = f(e.value), c = f(e.high);
  return { value: b, low: Math.min(a, b, c), high: Math.max(a, b, c), extrapolated: e.extrapolated };
}

export type Resource = CellVerdict['resource'];

const UNIT: Record<Resource, string> = { apiInstances: 'instances', dbConnections: 'connections', ramGb: 'GB' };

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(2);
}

/** A sizing rule in words: "70 % target utilisation, N+1 redundancy". */
export function ruleText(rule: Pick<InstanceRule, 'targetUtilisation' | 'redundancy'>): string {
  return `${Math.round(rule.targetUtilisation * 100)} % target utilisation, N+${rule.redundancy} redundancy`;
}

/** The measured fact behind a count: `instances` held `users` (the closest level at or above the row's) within the targets. */
export interface HeldFact {
  instances: number;
  users: number;
}

/**
 * The instance count a sizing row claims and the line that says why, the rule beside the measured fact: never a
 * count below what was measured to hold (fewer instances were not measured, so the rule's smaller count is named
 * and not claimed); a count above it says that the difference is the rule's headroom.
 */
export const SIZING_NOTE = 'sizing: ';

export function reconcileInstances(users: number, planned: Estimate, held: HeldFact | null, rule: Pick<InstanceRule, 'targetUtilisation' | 'redundancy'>): { instances: Estimate; note: string } {
  const r = ruleText(rule);
  if (!held) return { instances: planned, note: `sizing: ${planned.value} instances by the rule (${r}); no level of ${users}+ users was measured to hold` };
  const fact = `${held.instances} measured to hold ${held.users} users`;
  const n = held.instances;
  const instances = { ...planned, value: Math.max(planned.value, n), low: Math.max(planned.low, n), high: Math.max(planned.high, n) };
  if (planned.value < n) {
    return { instances, note: `sizing: ${n} instances, ${fact}; the rule (${r}) plans ${planned.value}, fewer than measured, which is not claimed: fewer instances were not measured` };
  }
  if (planned.value === n) return { instances, note: `sizing: ${n} instances, ${fact}, as the rule (${r}) plans` };
  return { instances, note: `sizing: ${planned.value} instances = ${fact} + ${planned.value - n} of the rule's headroom (${r})` };
}

/** What a cell's resource was measured to use (or predicted to, where no level was at its users). */
export interface Used {
  amount: number;
  /** "busy", "held 2000 users", "predicted": what the amount is. */
  what: string;
}

/** "8 GB asserted, 1.5 GB used: 5.3× over" — how far an asserted amount is from what was used. */
export function usedComparison(resource: Resource, asserted: number, used: Used): string {
  const unit = UNIT[resource];
  const head = `${fmt(asserted)} ${unit} asserted, ${fmt(used.amount)} ${unit} used (${used.what})`;
  if (!(used.amount > 0)) return `${head}: nothing used to compare with`;
  const x = asserted / used.amount;
  if (Math.abs(x - 1) < 0.05) return `${head}: as much as used`;
  return x > 1 ? `${head}: ${x.toFixed(1)}× over` : `${head}: ${(1 / x).toFixed(1)}× short`;
}

/**
 * An asserted cell ("500 users need 3 instances") judged two ways. Does it suffice: confirmed when it covers even
 * the top of the sized interval (the rule applied to what was measured), refuted when it is below the bottom,
 * undecided (reported as not measurable) when it falls inside, and not measurable when nothing was measured. And
 * how far it is from what was used, when that is known.
 */
export function judgeCell(users: number, resource: Resource, asserted: number, measured: Estimate | null, missingReason: string, used: Used | null = null): CellVerdict {
  const unit = UNIT[resource];
  const far = used ? `; ${usedComparison(resource, asserted, used)}` : '';
  if (!measured) return { users, resource, asserted, verdict: 'not-measurable', measured: null, reason: `${missingReason}${far}` };
  const range = `${fmt(measured.value)} ${unit} (${fmt(measured.low)}–${fmt(measured.high)})`;
  const stretch = measured.extrapolated ? '; extrapolated beyond 2× the largest measured level' : '';
  if (asserted >= measured.high) {
    const over = !used && measured.high > 0 && asserted >= 4 * measured.high ? ` (${Math.round(asserted / measured.high)}× the need)` : '';
    return { users, resource, asserted, verdict: 'confirmed', measured, reason: `suffices: needs ${range}; ${fmt(asserted)} ${unit} suffice${over}${stretch}${far}` };
  }
  if (asserted < measured.low) {
    return { users, resource, asserted, verdict: 'refuted', measured, reason: `does not suffice: needs ${range}; ${fmt(asserted)} ${unit} are too few${stretch}${far}` };
  }
  return {
    users, resource, asserted, verdict: 'not-measurable', measured,
    reason: `undecided: needs ${range}; ${fmt(asserted)} ${unit} lies inside the interval, so the measurement cannot decide${stretch}${far}`,
  };
}

/**
 * An asserted instance count judged on the measured fact first: at least as many instances as were measured to hold
 * that load suffice (confirmed), and the reason says how far it is from the rule's count with headroom; fewer than
 * that were never measured, so they are judged against the sized interval like any other cell.
 */
export function judgeInstances(users: number, asserted: number, sized: Estimate | null, held: HeldFact | null, rule: Pick<InstanceRule, 'targetUtilisation' | 'redundancy'>, missingReason: string): CellVerdict {
  const used = held ? { amount: held.instances, what: `held ${held.users} users` } : null;
  if (!held || asserted < held.instances || !sized) return judgeCell(users, 'apiInstances', asserted, sized, missingReason, used);
  const plan = sized.value;
  const headroom = asserted >= plan
    ? `the rule (${ruleText(rule)}) plans ${plan}, which ${asserted} cover`
    : `the rule (${ruleText(rule)}) plans ${plan}: ${plan - asserted} short of its headroom, not of the measured need`;
  return {
    users, resource: 'apiInstances', asserted, verdict: 'confirmed', measured: sized,
    reason: `suffices: ${held.instances} instances measured to hold ${held.users} users; ${headroom}; ${usedComparison('apiInstances', asserted, used!)}`,
  };
}
