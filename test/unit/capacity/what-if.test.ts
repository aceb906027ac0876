import { describe, expect, it } from 'vitest';
import { mva } from '../../../lib/capacity/mva.js';
import type { Level } from '../../../lib/capacity/schema.js';
import { centresOf, predictAt, stackBottleneck, whatIf } from '../../../lib/capacity/what-if.js';

const Z = 1;
const D = { api: 0.004, db: 0.008 };
const DELAY = 0.02;

/** A level exactly as MVA with these demands and delay predicts it: the ladder the model can be checked on. */
function level(vus: number, demands = D, withinTargets = true): Level {
  const p = mva([{ name: 'api', demandS: demands.api }, { name: 'db', demandS: demands.db }], Z + DELAY, vus).at(-1)!;
  const x = p.throughputRps;
  return {
    users: vus, vus, scale: 1, profile: `load-${vus}`, runDir: 'r', dir: `level-${vus}`,
    window: { start: '2025-01-01T00:00:00.000Z', end: '2025-01-01T00:01:00.000Z' },
    requests: Math.round(60 * x), throughputRps: x, latencyMs: { p50: 1, p95: 2, p99: 3 }, errorRate: 0,
    verdict: { run: { verdict: 'pass', failed: [] }, steady: { withinTargets } }, resources: [], dbTime: null, complete: true,
    decomposition: { totalMs: (p.responseS + DELAY) * 1000, parts: {}, p95: { totalMs: 0, parts: {} }, explained: true, note: null },
    demands: [
      { component: 'api', utilisation: x * demands.api, demandMs: demands.api * 1000, budgetCores: 1, budgetSource: 't' },
      { component: 'db', utilisation: x * demands.db, demandMs: demands.db * 1000, budgetCores: 1, budgetSource: 't' },
      { component: 'generator', utilisation: 0.1, demandMs: 50, budgetCores: 1, budgetSource: 't' },
    ],
    bottleneck: { component: 'db', utilisation: x * demands.db, demandMs: demands.db * 1000, boundRps: 1 / demands.db },
  };
}

describe('what-if (MVA on measured demands)', () => {
  it('recovers the delay a level holds beyond CPU, and predicts it back', () => {
    const c = centresOf(level(100), Z)!;
    expect(c.centres).toEqual([{ name: 'api', demandS: 0.004 }, { name: 'db', demandS: 0.008 }]);
    expect(c.delayS).toBeCloseTo(DELAY, 9);
    const l = level(200);
    const p = predictAt(c, Z, 200);
    expect(p.throughputRps).toBeCloseTo(l.throughputRps, 6);
    expect(p.responseTimeMs).toBeCloseTo(l.decomposition!.totalMs, 6);
  });

  it('validates each level from the one below: errors 0 on a ladder MVA generated, not 0 when demands grew', () => {
    const exact = whatIf([10, 50, 100, 200].map((n) => level(n)), Z, 1)!;
    expect(exact.validation!.levels.map((v) => v.vus)).toEqual([50, 100, 200]);
    for (const v of exact.validation!.levels) {
      expect(Math.abs(v.throughputError)).toBeLessThan(1e-6);
      expect(Math.abs(v.latencyError)).toBeLessThan(1e-6);
    }
    // The top level's DB demand doubled (contention): predicted from the level below, throughput is over-estimated.
    const grown = whatIf([level(50), level(100), level(200, { api: 0.004, db: 0.016 })], Z, 1)!;
    expect(grown.validation!.throughputError).toBeGreaterThan(0.05);
    expect(grown.validation!.latencyError).toBeLessThan(-0.05);
    expect(grown.demandsFromVus).toBe(200);
  });

  it('draws curves for the measured topology and the changes; 2× API instances leave a DB-bound stack where it is', () => {
    const r = whatIf([level(100), level(200)], Z, 1)!;
    expect(r.curves.map((c) => c.name)).toEqual(['measured topology', '2× API instances', '2× API CPU', '2× DB CPU']);
    const lastX = (name: string) => r.curves.find((c) => c.name === name)!.points.at(-1)!.throughputRps;
    // Bound 1/D_db = 125 rps; 400 users with Z = 1 s push it close
    expect(lastX('measured topology')).toBeLessThanOrEqual(125);
    expect(lastX('2× API instances')).toBeCloseTo(lastX('measured topology'), 0);
    expect(lastX('2× DB CPU')).toBeGreaterThan(lastX('measured topology') * 1.3);
    expect(r.note).toContain('extrapolated');
  });

  it('names the bottleneck at the first level that broke the targets', () => {
    expect(stackBottleneck([level(50), level(100, D, false), level(200, D, false)])!.vus).toBe(100);
    expect(stackBottleneck([level(50), level(100)])!.vus).toBe(100);
    expect(stackBottleneck([])).toBeUndefined();
  });
});
