// What the measured service demands predict (pure): exact MVA curves for the measured topology and for changes
// (more API instances, more DB or API CPU), checked on the ladder itself — each level predicted from the demands
// of the level below it. A pure delay centre carries the time no CPU demand explains (I/O, network, the client),
// calibrated at the level the prediction starts from.

import { applyWhatIf, mva, relativeError, type Centre, type WhatIf } from './mva.js';
import type { CapacityResult, Level } from './schema.js';

type Mva = NonNullable<CapacityResult['mva']>;

/** The stack's queueing centres from a level's demands (the generator is the client, not a centre), and its delay. */
export function centresOf(l: Level, thinkS: number): { centres: Centre[]; delayS: number } | null {
  const stack = (l.demands ?? []).filter((d) => d.component !== 'generator' && d.demandMs > 0);
  if (stack.length === 0 || !(l.throughputRps > 0) || l.decomposition === undefined) return null;
  const centres = stack.map((d) => ({ name: d.component, demandS: d.demandMs / 1000 }));
  // The delay that makes MVA give this level's own mean response: R(d) = R_cpu(Z + d) + d grows with d, so bisect.
  const measuredMs = l.decomposition.totalMs;
  const at = (d: number) => predictAt({ centres, delayS: d }, thinkS, l.vus).responseTimeMs;
  let lo = 0;
  let hi = measuredMs / 1000;
  if (at(0) >= measuredMs) return { centres, delayS: 0 };
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) < measuredMs) lo = mid;
    else hi = mid;
  }
  return { centres, delayS: (lo + hi) / 2 };
}

/** Throughput and mean response (ms) MVA predicts at `n` users from centres and a delay, with think time Z. */
export function predictAt(c: { centres: Centre[]; delayS: number }, thinkS: number, n: number): { throughputRps: number; responseTimeMs: number } {
  // A pure delay adds to Z (an infinite server): users spend it without queueing.
  const p = mva(c.centres, thinkS + c.delayS, Math.max(1, n)).at(-1)!;
  return { throughputRps: p.throughputRps, responseTimeMs: (p.responseS + c.delayS) * 1000 };
}

const CHANGES: ReadonlyArray<{ name: string; change: (instances: number) => WhatIf }> = [
  { name: '2× API instances', change: (k) => ({ apiInstances: 2 * k }) },
  { name: '2× API CPU', change: () => ({ cpu: { api: { measured: 1, proposed: 2 } } }) },
  { name: '2× DB CPU', change: () => ({ cpu: { db: { measured: 1, proposed: 2 } } }) },
];

/** MVA on the modelled levels (in increasing load, generator-bound ones already left out); undefined without demands. */
export function whatIf(levels: readonly Level[], thinkS: number, instances: number): Mva | undefined {
  const withDemands = levels.filter((l) => centresOf(l, thinkS) !== null);
  if (withDemands.length === 0) return undefined;
  const base = withDemands[withDemands.length - 1]!;
  const c = centresOf(base, thinkS)!;
  const top = Math.max(...levels.map((l) => l.vus));
  const steps = 40;
  const users = [...new Set(Array.from({ length: steps }, (_, i) => Math.max(1, Math.round(((i + 1) * 2 * top) / steps))))];
  const curve = (name: string, centres: Centre[]) => ({
    name, points: users.map((n) => ({ vus: n, ...predictAt({ centres, delayS: c.delayS }, thinkS, n) })),
  });
  const curves = [curve('measured topology', c.centres), ...CHANGES.map((x) => curve(x.name, applyWhatIf(c.centres, 1, x.change(instances))))];

  const checks: { vus: number; throughputError: number; latencyError: number }[] = [];
  for (let i = 1; i < withDemands.length; i++) {
    const below = centresOf(withDemands[i - 1]!, thinkS)!;
    const l = withDemands[i]!;
    const p = predictAt(below, thinkS, l.vus);
    const te = relativeError(p.throughputRps, l.throughputRps);
    const le = relativeError(p.responseTimeMs, l.decomposition!.totalMs);
    if (te !== null && le !== null) checks.push({ vus: l.vus, throughputError: te, latencyError: le });
  }
  const topCheck = checks.at(-1);
  const demands = c.centres.map((x) => `${x.name} ${(x.demandS * 1000).toFixed(2)} ms`).join(', ');
  return {
    demandsFromVus: base.vus,
    thinkTimeS: thinkS,
    curves,
    validation: topCheck ? { throughputError: topCheck.throughputError, latencyError: topCheck.latencyError, levels: checks } : null,
    note: `Curves rest on the demands measured at ${base.vus} VUs (${demands}; delay ${(c.delayS * 1000).toFixed(1)} ms) on this machine's budgets; ` +
      'any projection to the document\'s hardware (16 vCPU, 16 GB) is extrapolated: scale each demand by its budget there.',
  };
}

/** The bottleneck the capacity names: at the first modelled level that broke the targets, else the highest. */
export function stackBottleneck(levels: readonly Level[]): CapacityResult['bottleneck'] {
  const judged = levels.filter((l) => l.bottleneck !== undefined);
  const at = judged.find((l) => !l.verdict.steady.withinTargets) ?? judged.at(-1);
  return at ? { ...at.bottleneck!, vus: at.vus } : undefined;
}
