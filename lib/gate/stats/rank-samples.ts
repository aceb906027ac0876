// Histogram buckets as weighted samples in integer microseconds: the common input of the two-sample rank statistics.

import type { Bucket } from '../../histogram.js';

export interface WeightedValue {
  /** Microseconds, an integer: bucket values are whole microseconds, so ties and differences are exact. */
  readonly us: number;
  readonly count: number;
}

/** Ascending, zero counts dropped, equal values merged. */
export function weighted(bs: readonly Bucket[]): WeightedValue[] {
  const out: WeightedValue[] = [];
  for (const b of bs) {
    if (b.count <= 0) continue;
    const us = Math.round(b.valueMs * 1000);
    const last = out.at(-1);
    if (last && last.us === us) out[out.length - 1] = { us, count: last.count + b.count };
    else out.push({ us, count: b.count });
  }
  return out.sort((a, b) => a.us - b.us);
}

export function total(ws: readonly WeightedValue[]): number {
  return ws.reduce((s, w) => s + w.count, 0);
}
