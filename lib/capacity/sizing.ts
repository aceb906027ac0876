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
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(2);
}

/**
 * An asserted cell ("500 users need 3 instances") read as a claim that the asserted amount suffices: confirmed
 * when it covers even the top of the measured interval, refuted when it is below the bottom, undecided (reported
 * as not measurable) when it falls inside, and not measurable when nothing was measured.
 */
export function judgeCell(users: number, resource: Resource, asserted: number, measured: Estimate | null, missingReason: string): CellVerdict {
  const unit = UNIT[resource];
  if (!measured) return { users, resource, asserted, verdict: 'not-measurable', measured: null, reason: missingReason };
  const range = `${fmt(measured.value)} ${unit} (${fmt(measured.low)}–${fmt(measured.high)})`;
  const stretch = measured.extrapolated ? '; extrapolated beyond 2× the largest measured level' : '';
  if (asserted >= measured.high) {
    const over = measured.high > 0 && asserted >= 4 * measured.high ? ` (${Math.round(asserted / measured.high)}× the need)` : '';
    return { users, resource, asserted, verdict: 'confirmed', measured, reason: `needs ${range}; ${fmt(asserted)} ${unit} suffice${over}${stretch}` };
  }
  if (asserted < measured.low) {
    return { users, resource, asserted, verdict: 'refuted', measured, reason: `needs ${range}; ${fmt(asserted)} ${unit} are too few${stretch}` };
  }
  return {
    users, resource, asserted, verdict: 'not-measurable', measured,
    reason: `needs ${range}; ${fmt(asserted)} ${unit} lies inside the interval, so the measurement cannot decide${stretch}`,
  };
}
