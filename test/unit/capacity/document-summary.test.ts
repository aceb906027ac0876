import { describe, expect, it } from 'vitest';
import { whyLine } from '../../../lib/capacity/document-summary.js';
import type { Level } from '../../../lib/capacity/schema.js';

describe('the summary line of a broken level', () => {
  it('names the bottleneck with its figures and the mean decomposed', () => {
    const l = {
      users: 1000,
      bottleneck: { component: 'db', utilisation: 0.97, demandMs: 31.25, boundRps: 32 },
      decomposition: { totalMs: 120.04, parts: { generator: 0.3, proxy: 1.2, api: 10.5, db: 100, cache: 0.01, unexplained: 8.04 }, p95: { totalMs: 0, parts: {} }, explained: true, note: null },
    } as unknown as Level;
    expect(whyLine(l)).toBe('1000 users broke: bottleneck db at 97 %, D = 31.25 ms per request, bound 32 rps; mean 120.0 ms = generator 0.3 + proxy 1.2 + api 10.5 + db 100.0 + unexplained 8.0 ms');
  });

  it('names the budget the utilisation is read against, from the level\'s demands', () => {
    const l = {
      users: 1500,
      bottleneck: { component: 'db', utilisation: 0.3532, demandMs: 8.49, boundRps: 1000 / 8.49 },
      demands: [
        { component: 'generator', utilisation: 0.05, demandMs: 1.17, budgetCores: 1, budgetSource: 'CPU set 0' },
        { component: 'db', utilisation: 0.3532, demandMs: 8.49, budgetCores: 0.06, budgetSource: 'cgroup quota 2 × 0.03' },
      ],
      decomposition: { totalMs: 708.8, parts: { generator: 0.19, proxy: 0.21, api: 0, db: 706.57, cache: 0.03, unexplained: 1.8 }, p95: { totalMs: 0, parts: {} }, explained: true, note: null },
    } as unknown as Level;
    expect(whyLine(l)).toBe('1500 users broke: bottleneck db at 35 % of 0.06 cores (cgroup quota 2 × 0.03), D = 8.49 ms per request, bound 118 rps; ' +
      'mean 708.8 ms = generator 0.2 + proxy 0.2 + db 706.6 + unexplained 1.8 ms');
  });
});
