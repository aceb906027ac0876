// Summarises collected series over a level's steady window into the capacity.json shape, pure.

import type { DbTime, ResourceSummary } from './schema.js';
import type { CollectedSeries } from './types.js';
import type { TimeWindow } from '../units.js';

/** The steady window (epoch ms); one declaration, lib/units.ts. */
export type Window = TimeWindow;

/** One summary per series: mean/min/max/last of the samples inside the window, or missing (never zero). */
export function summarizeSeries(collector: string, series: readonly CollectedSeries[], w: Window): ResourceSummary[] {
  return series.map((s): ResourceSummary => {
    const head = { collector, resource: s.resource, instance: s.instance, unit: s.unit };
    if (s.status === 'missing') return { status: 'missing', ...head, reason: s.reason };
    const inside = s.samples.filter((p) => p.t > w.startMs && p.t <= w.endMs && Number.isFinite(p.value));
    if (inside.length === 0) {
      return { status: 'missing', ...head, reason: `no sample inside the steady window (${s.samples.length} outside it)` };
    }
    const values = inside.map((p) => p.value);
    return {
      status: 'ok', ...head, samples: values.length,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      min: Math.min(...values), max: Math.max(...values), last: values[values.length - 1]!,
    };
  });
}

/**
 * DB time over the window for Little's law, from the first collector that has both the query rate and the
 * busy-time rate (Σ query seconds per second): busy = L, rate = λ, mean hold W = L / λ.
 */
export function dbTimeOf(summaries: readonly ResourceSummary[]): DbTime | null {
  const all = (resource: string) => summaries.filter((s) => s.resource === resource && s.instance === 'all' && s.status === 'ok');
  for (const rate of all('db_query_rate')) {
    const busy = all('db_busy').find((b) => b.collector === rate.collector);
    if (!busy || rate.status !== 'ok' || busy.status !== 'ok' || !(rate.mean > 0)) continue;
    return { queryRatePerS: rate.mean, meanHoldS: busy.mean / rate.mean, busyConnections: busy.mean, source: `db_query_duration_seconds (${rate.collector})` };
  }
  return null;
}
