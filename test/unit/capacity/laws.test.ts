import { describe, expect, it } from 'vitest';
import { bottleneckLine, operationalLaws } from '../../../lib/capacity/laws.js';

describe('operational laws', () => {
  it('utilisation, demand per budget, the bottleneck, its bound and N*', () => {
    const laws = operationalLaws(
      [
        { component: 'proxy', busyCores: 0.05, budgetCores: 1, budgetSource: 'machine' },
        { component: 'api', busyCores: 0.2, budgetCores: 0.25, budgetSource: 'cgroup quota' },
        { component: 'db', busyCores: 0.02, budgetCores: 0.03, budgetSource: 'cgroup quota' },
        { component: 'generator', busyCores: 0.3, budgetCores: 1, budgetSource: 'machine' },
      ],
      100,
      0.5,
    )!;
    const by = Object.fromEntries(laws.components.map((c) => [c.component, c]));
    // U = busy / budget; D = U / X
    expect(by['api']!.utilisation).toBeCloseTo(0.8, 14);
    expect(by['api']!.demandMs).toBeCloseTo(8, 12);
    expect(by['db']!.utilisation).toBeCloseTo(2 / 3, 14);
    expect(by['db']!.demandMs).toBeCloseTo(20 / 3, 12);
    expect(by['proxy']!.demandMs).toBeCloseTo(0.5, 12);
    expect(by['generator']!.demandMs).toBeCloseTo(3, 12);
    expect(laws.bottleneck).toEqual({ component: 'api', utilisation: by['api']!.utilisation, demandMs: by['api']!.demandMs, boundRps: 1000 / by['api']!.demandMs });
    expect(laws.bottleneck.boundRps).toBeCloseTo(125, 9);
    // N* = (ΣD + Z) / D_max, without the generator: (0.5 + 8 + 20/3 ms + 500 ms) / 8 ms
    expect(laws.saturationUsers).toBeCloseTo((0.5 + 8 + 20 / 3 + 500) / 8, 9);
  });

  it('names the generator when k6 is the busiest for its budget', () => {
    const laws = operationalLaws(
      [
        { component: 'generator', busyCores: 0.049, budgetCores: 0.05, budgetSource: 'cgroup quota' },
        { component: 'api', busyCores: 0.1, budgetCores: 1, budgetSource: 'machine' },
      ],
      50,
      0,
    )!;
    expect(laws.bottleneck.component).toBe('generator');
    expect(laws.bottleneck.utilisation).toBeCloseTo(0.98, 14);
    expect(laws.bottleneck.boundRps).toBeCloseTo(51.0204081632653, 9);
  });

  it('nothing to judge without throughput or a measured component', () => {
    expect(operationalLaws([{ component: 'api', busyCores: 1, budgetCores: 1, budgetSource: 'm' }], 0, 0)).toBeNull();
    expect(operationalLaws([], 10, 0)).toBeNull();
    expect(operationalLaws([{ component: 'api', busyCores: 0, budgetCores: 1, budgetSource: 'm' }], 10, 0)).toBeNull();
  });

  it('prints the bottleneck with its figures', () => {
    expect(bottleneckLine({ component: 'db', utilisation: 0.94, demandMs: 31.25, boundRps: 32 }, { cores: 0.03, source: 'cgroup quota' }))
      .toBe('db at 94 % of 0.03 cores (cgroup quota), D = 31.25 ms per request, bound 32 rps');
  });
});
