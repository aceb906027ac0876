// DB connections: Little's law from measured DB time (busy = query rate × hold time), and the counts collectors saw. Pure.

import { fitLinear, type LinearFit } from './linear.js';
import type { DbConnections, Estimate, Level } from './schema.js';
import { estimate, median, resourceValue } from './estimate.js';

export function dbConnectionsOf(levels: readonly Level[], confidence: number): { summary: DbConnections; fit: LinearFit | null; ratio: Estimate | null } {
  const withDb = levels.filter((l) => l.dbTime !== null);
  const busy = withDb.map((l) => l.dbTime!.busyConnections);
  const measured = levels
    .map((l) => ({ l, r: resourceValue(l, 'db_connections') }))
    .filter((v) => v.r !== null)
    .sort((a, b) => b.r!.value - a.r!.value)[0];
  const fit = withDb.length >= 3 ? fitLinear(withDb.map((l) => l.vus), busy) : null;
  const ratios = withDb.map((l) => l.dbTime!.busyConnections / l.vus);
  const ratio = ratios.length ? estimate(median(ratios), Math.min(...ratios), Math.max(...ratios), false) : null;
  const holds = withDb.map((l) => l.dbTime!.meanHoldS * 1000);
  const notes: string[] = [];
  notes.push(withDb.length ? `Little's law over ${withDb.length} levels (query rate × mean query time)` : 'no DB time measured: Little\'s law not applied');
  notes.push(measured ? `connections open: up to ${measured.r!.value.toFixed(0)} at ${measured.l.vus} VUs (pool size, not need)` : 'no collector gave a connection count');
  void confidence;
  return {
    summary: {
      littlesLaw: ratio ? { busyPerVu: ratio.value, meanHoldMs: median(holds), levels: withDb.length } : null,
      measured: measured ? { maxConnections: measured.r!.value, atVus: measured.l.vus, resource: `db_connections (${measured.r!.collector})` } : null,
      note: notes.join('; '),
    },
    fit,
    ratio,
  };
}
