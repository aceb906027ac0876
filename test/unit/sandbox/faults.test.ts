import { describe, expect, it } from 'vitest';
import { faultsFromFlags, parseFaultSet, ruleFor, sampleLatencyMs } from '../../../sandbox/faults.js';

describe('faultsFromFlags', () => {
  it('merges flags for one route into one rule and defaults the route to *', () => {
    expect(faultsFromFlags({
      latency: ['200~50:normal@GET /api/v1/unidades', '30'], errorRate: ['0.05'], cpuMs: ['2@GET /api/v1/unidades'],
    })).toEqual({
      rules: [
        { route: 'GET /api/v1/unidades', latencyMs: 200, jitterMs: 50, distribution: 'normal', cpuMs: 2 },
        { route: '*', latencyMs: 30, errorRate: 0.05 },
      ],
    });
  });

  it('refuses bad numbers, routes and distributions with a one-line reason', () => {
    expect(() => faultsFromFlags({ latency: ['abc'] })).toThrow('--latency abc: "abc" is not a number');
    expect(() => faultsFromFlags({ latency: ['10@unidades'] })).toThrow('route must be');
    expect(() => faultsFromFlags({ errorRate: ['1.5'] })).toThrow('errorRate must be a number in [0, 1]');
    expect(() => faultsFromFlags({ latency: ['10~5:pareto'] })).toThrow('distribution must be');
  });
});

describe('parseFaultSet', () => {
  it('accepts the documented shape and rejects unknown keys and out-of-range values', () => {
    expect(parseFaultSet({ rules: [{ route: '*', latencyMs: 400, jitterMs: 0, errorRate: 0.05, cpuMs: 0 }] }))
      .toEqual({ rules: [{ route: '*', latencyMs: 400, jitterMs: 0, errorRate: 0.05, cpuMs: 0 }] });
    expect(parseFaultSet({ rules: [{ route: '*', latency: 4 }] })).toBe('rules[0].latency: unknown key');
    expect(parseFaultSet({ rules: [{ route: '*', errorStatus: 404 }] })).toBe('rules[0].errorStatus must be a number in [500, 599]');
    expect(parseFaultSet([])).toBe('body must be {"rules":[…]}');
  });
});

describe('ruleFor', () => {
  const set = { rules: [{ route: '*', latencyMs: 1 }, { route: 'GET /api/v1/unidades/:id', latencyMs: 2 }] };
  it('prefers the exact route, falls back to * for /api/v1 routes only', () => {
    expect(ruleFor(set, 'GET /api/v1/unidades/:id')?.latencyMs).toBe(2);
    expect(ruleFor(set, 'GET /api/v1/cftv')?.latencyMs).toBe(1);
    expect(ruleFor(set, 'GET /health')).toBeUndefined();
    expect(ruleFor(set, 'GET /__sandbox/users')).toBeUndefined();
  });
});

describe('sampleLatencyMs', () => {
  it('draws uniform ±jitter, exponential tails and clips at 0', () => {
    expect(sampleLatencyMs({ route: '*', latencyMs: 100 })).toBe(100);
    expect(sampleLatencyMs({ route: '*', latencyMs: 100, jitterMs: 20 }, () => 0)).toBe(80);
    expect(sampleLatencyMs({ route: '*', latencyMs: 100, jitterMs: 20 }, () => 0.75)).toBe(110);
    expect(sampleLatencyMs({ route: '*', latencyMs: 10, jitterMs: 20 }, () => 0)).toBe(0);
    expect(sampleLatencyMs({ route: '*', latencyMs: 100, jitterMs: 50, distribution: 'exponential' }, () => 1 - Math.exp(-2))).toBeCloseTo(200, 9);
  });
});
