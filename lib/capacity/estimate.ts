// Small shared helpers of the capacity analysis: estimates, medians, one value per level for a resource.

import type { Estimate, Level } from './schema.js';

export function estimate(value: number, low: number, high: number, extrapolated: boolean): Estimate {
  return { value, low: Math.min(low, value), high: Math.max(high, value), extrapolated };
}

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One number per level for a resource: the first collector's "all" series, else the sum over its instances. */
export function resourceValue(level: Level, resource: string, collector?: string): { value: number; collector: string } | null {
  const ok = level.resources.filter((r) => r.status === 'ok' && r.resource === resource && (!collector || r.collector === collector));
  if (ok.length === 0) return null;
  const first = ok[0]!.collector;
  const mine = ok.filter((r) => r.collector === first);
  const all = mine.find((r) => r.instance === 'all');
  const value = all && all.status === 'ok' ? all.mean : mine.reduce((s, r) => s + (r.status === 'ok' ? r.mean : 0), 0);
  return { value, collector: first };
}
