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
});
