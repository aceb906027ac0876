import { describe, expect, it } from 'vitest';
import { applyWhatIf, mva, relativeError } from '../../../lib/capacity/mva.js';

describe('exact MVA', () => {
  it('matches the recursion worked by hand: D = (1, 0.5), Z = 1, n = 1…3', () => {
    // n=1: R = 1 + 0.5 = 1.5, X = 1/2.5 = 0.4, Q = (0.4, 0.2)
    // n=2: R1 = 1.4, R2 = 0.6, R = 2, X = 2/3, Q = (14/15, 0.4)
    // n=3: R1 = 29/15, R2 = 0.7, R = 79/30, X = 3/(109/30) = 90/109
    const p = mva([{ name: 'a', demandS: 1 }, { name: 'b', demandS: 0.5 }], 1, 3);
    expect(p.map((x) => x.users)).toEqual([1, 2, 3]);
    expect(p[0]!.throughputRps).toBeCloseTo(0.4, 14);
    expect(p[0]!.responseS).toBeCloseTo(1.5, 14);
    expect(p[1]!.throughputRps).toBeCloseTo(2 / 3, 14);
    expect(p[1]!.responseS).toBeCloseTo(2, 14);
    expect(p[2]!.throughputRps).toBeCloseTo(90 / 109, 14);
    expect(p[2]!.responseS).toBeCloseTo(79 / 30, 14);
  });

  it('approaches the bottleneck bound 1/D_max and R = N·D_max − Z past N*', () => {
    const p = mva([{ name: 'db', demandS: 0.01 }, { name: 'api', demandS: 0.004 }], 0.5, 400);
    const last = p.at(-1)!;
    expect(last.throughputRps).toBeLessThanOrEqual(100);
    expect(last.throughputRps).toBeGreaterThan(99.9);
    expect(last.responseS).toBeCloseTo(400 * 0.01 - 0.5, 1);
    // One user alone: X = 1/(Z + ΣD)
    expect(p[0]!.throughputRps).toBeCloseTo(1 / 0.514, 12);
  });

  it('what-if: twice the API instances halves each one\'s demand; a larger CPU budget scales demand down', () => {
    const c = [{ name: 'api', demandS: 0.01 }, { name: 'db', demandS: 0.002 }];
    const two = applyWhatIf(c, 1, { apiInstances: 2 });
    expect(two).toEqual([{ name: 'api-1', demandS: 0.005 }, { name: 'api-2', demandS: 0.005 }, { name: 'db', demandS: 0.002 }]);
    const faster = applyWhatIf(c, 1, { cpu: { db: { measured: 0.5, proposed: 1 } } });
    expect(faster[1]).toEqual({ name: 'db', demandS: 0.001 });
    // From 3 measured instances to 6: the pooled demand 0.01 is 0.03 per instance, 0.005 each of 6.
    const six = applyWhatIf(c, 3, { apiInstances: 6 });
    expect(six.filter((x) => x.name.startsWith('api')).map((x) => x.demandS)).toEqual(Array(6).fill(0.005));
    // Bound moves from 1/0.01 = 100 rps to 1/0.005 = 200 rps.
    expect(mva(two, 0, 2000).at(-1)!.throughputRps).toBeCloseTo(200, 0);
  });

  it('signed relative error', () => {
    expect(relativeError(110, 100)).toBeCloseTo(0.1, 14);
    expect(relativeError(90, 100)).toBeCloseTo(-0.1, 14);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1, 0)).toBeNull();
  });
});
